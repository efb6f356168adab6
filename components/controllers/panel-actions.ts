import type { ConfirmController } from './confirm-controller';
import type { DatasetActionsController } from './dataset-actions-controller';
import type { DenseHeadController } from './dense-head-controller';
import type { EvaluationController } from './evaluation-controller';
import type { HostEventHandlers } from './host-events-controller';
import type { ModelController } from './model-controller';
import type { ReembedController } from './reembed-controller';
import type { UndoController } from './undo-controller';
import type { WebPageExportController } from './web-page-export-controller';

/** The app's controllers the panels' buttons drive. */
export interface PanelControllers {
  readonly model: ModelController;
  readonly reembed: ReembedController;
  readonly dense: DenseHeadController;
  readonly evaluation: EvaluationController;
  readonly datasetActions: DatasetActionsController;
  readonly webPage: WebPageExportController;
  readonly undoing: UndoController;
  readonly confirmations: ConfirmController;
  /** "Clear all" in the dataset toolbar. */
  readonly clearAll: () => void;
  /** Deletes rows of a class's examples (the examples grid). */
  readonly deleteExamples: (classId: string, rows: readonly number[]) => void;
  readonly closeExamples: () => void;
}

/** The events of the panels' buttons (model, re-embed, dense head, evaluation, files, undo, questions, examples grid). */
export type PanelEvent =
  | 'tm-model-change'
  | 'tm-model-retry'
  | 'tm-reembed-start'
  | 'tm-reembed-cancel'
  | 'tm-train-start'
  | 'tm-train-cancel'
  | 'tm-evaluate-request'
  | 'tm-dataset-export'
  | 'tm-dataset-cancel'
  | 'tm-dataset-export-knn-classifier'
  | 'tm-dataset-import'
  | 'tm-dataset-clear'
  | 'tm-web-page-export'
  | 'tm-toast-action'
  | 'tm-toast-dismiss'
  | 'tm-confirm-answer'
  | 'tm-examples-delete'
  | 'tm-examples-close';

/** What the panels' buttons ask for, each passed to the controller that does it. */
export function panelActions(c: PanelControllers): HostEventHandlers<PanelEvent> {
  return {
    'tm-model-change': (e) => void c.model.select(e.detail.modelId),
    'tm-model-retry': () => void c.model.retry(),
    'tm-reembed-start': () => void c.reembed.start(),
    'tm-reembed-cancel': () => c.reembed.cancel(),
    'tm-train-start': () => void c.dense.train(),
    'tm-train-cancel': () => c.dense.cancel(),
    'tm-evaluate-request': () => void c.evaluation.evaluate(),
    'tm-dataset-export': (e) => void c.datasetActions.exportFile(e.detail.format),
    'tm-dataset-cancel': () => c.datasetActions.cancel(),
    'tm-dataset-export-knn-classifier': () => void c.datasetActions.exportForKnnClassifier(),
    'tm-dataset-import': (e) => void c.datasetActions.importFile(e.detail.file, e.detail.mode),
    'tm-dataset-clear': () => c.clearAll(),
    'tm-web-page-export': () => void c.webPage.exportPage(),
    'tm-toast-action': () => c.undoing.act(),
    'tm-toast-dismiss': () => c.undoing.dismiss(),
    'tm-confirm-answer': (e) => c.confirmations.answer(e.detail.confirmed),
    'tm-examples-delete': (e) => c.deleteExamples(e.detail.classId, e.detail.rows),
    'tm-examples-close': () => c.closeExamples(),
  };
}
