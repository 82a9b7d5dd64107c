// The workflows the containers run (WORKFLOW_MODULES=/app/workflows/index.js): here the design
// document's order processing workflow with the order-processing sample's demo actions. Replace
// this module with your own: it exports `definitions` (an array) and `actions` (name → action).
import { ActionRegistry } from '@workflow-mastery/core';
import { DemoServices } from '@workflow-mastery/sample-order-processing/demo-services';
import { orderActions } from '@workflow-mastery/sample-order-processing/order-actions';
import { orderProcessingWorkflow } from '@workflow-mastery/sample-order-processing/order-processing.workflow';

const services = new DemoServices();
const names = new ActionRegistry();
names.registerClasses(orderActions);

/** Every action of the workflow, built with the demo services, by its `@WorkflowAction` name. */
export const actions = Object.fromEntries(orderActions.map((Action) => [names.nameOf(Action), new Action(services)]));

/** The definitions to register. */
export const definitions = [orderProcessingWorkflow];
