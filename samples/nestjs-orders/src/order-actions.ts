/**
 * The order processing sample's actions, used as Nest providers. Their constructors take the demo
 * services; the classes are compiled in another package, so the parameter types Nest injects by are
 * declared here rather than emitted by a decorator.
 */
import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { DemoServices } from '@workflow-mastery/sample-order-processing/demo-services';
import { orderActions } from '@workflow-mastery/sample-order-processing/order-actions';

for (const action of orderActions) {
  Injectable()(action);
  Reflect.defineMetadata('design:paramtypes', [DemoServices], action);
}

export { orderActions };
export type { Order } from '@workflow-mastery/sample-order-processing/order-actions';
