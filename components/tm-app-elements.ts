/** Defines every element tm-app renders, so that its template finds them registered. */
import './tm-action-toast';
import './tm-class-list';
import './tm-confirm-bar';
import './tm-dataset-toolbar';
import './tm-dense-panel';
import './tm-evaluation-panel';
import './tm-example-grid';
import './tm-first-run';
import './tm-mode-bars';
import './tm-model-panel';
import './tm-prediction-settings';
import './tm-recording-settings';
import './tm-reembed-offer';
import './tm-try-images';
import './tm-vote-settings';
import './tm-web-page-export';
import './tm-webcam';
