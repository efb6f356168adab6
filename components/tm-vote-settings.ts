import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DEFAULT_VOTE, type VoteMethod, type VoteOptions } from '../src/classifier/knn/vote';
import { voteSettingsStyles } from './tm-vote-settings.styles';

export interface VoteChangeDetail {
  readonly vote: VoteOptions;
}

export const MAX_K = 20;

const KNN_HELP: Readonly<Record<VoteMethod, string>> = {
  'soft-nearest': 'The default vote does not use k: the "mean of the k nearest" and the classic votes do.',
  'mean-of-k': "How many of each class's nearest examples are averaged.",
  'knn-classifier':
    'How many nearest examples, of all classes, vote; a class\'s confidence is its share of them. knn-classifier\'s predictClass, as the package ships it.',
};

/**
 * The k-NN vote's advanced settings, folded away: the vote method, and k, which the 'mean-of-k' and the classic
 * 'knn-classifier' votes use (so it is disabled under the default vote rather than looking like it does something).
 *
 * @fires tm-vote-change - CustomEvent<VoteChangeDetail>: the method or k changed to an acceptable value.
 * @cssprop --tm-border, --tm-focus, --tm-error - Colours.
 */
@customElement('tm-vote-settings')
export class TmVoteSettings extends LitElement {
  static override styles = voteSettingsStyles;

  @property({ attribute: false }) vote: VoteOptions = DEFAULT_VOTE;

  @state() private problem: string | null = null;

  protected override render() {
    const method: VoteMethod = this.vote.method ?? 'soft-nearest';
    return html`<details>
      <summary>Advanced: the k-NN vote</summary>
      <fieldset>
        <legend id="vote-legend">Vote</legend>
        <div role="radiogroup" aria-labelledby="vote-legend">
          <label
            ><input type="radio" name="method" .checked=${method === 'soft-nearest'} @change=${() => this.change({ method: 'soft-nearest' })} />
            Soft nearest (default)</label
          >
          <label
            ><input type="radio" name="method" .checked=${method === 'mean-of-k'} @change=${() => this.change({ method: 'mean-of-k' })} />
            Mean of the k nearest</label
          >
          <label
            ><input type="radio" name="method" .checked=${method === 'knn-classifier'} @change=${() => this.change({ method: 'knn-classifier' })} />
            Classic k-NN (<code>@tensorflow-models/knn-classifier</code>: top-k cosine majority)</label
          >
        </div>
      </fieldset>
      <label
        >Neighbours per class (k)
        <input
          type="number"
          min="1"
          max=${MAX_K}
          .value=${String(this.vote.k)}
          ?disabled=${method === 'soft-nearest'}
          aria-invalid=${this.problem ? 'true' : 'false'}
          aria-describedby="k-help k-problem"
          @change=${this.onKChange}
      /></label>
      <p class="help" id="k-help">${KNN_HELP[method]}</p>
      <p class="problem" id="k-problem" role=${this.problem ? 'alert' : 'none'}>${this.problem ?? ''}</p>
    </details>`;
  }

  private onKChange(e: Event): void {
    const input = e.target as HTMLInputElement;
    const k = Number(input.value);
    if (!(Number.isInteger(k) && k >= 1 && k <= MAX_K)) {
      this.problem = `k must be a whole number from 1 to ${MAX_K}.`;
      return;
    }
    this.problem = null;
    this.change({ k });
  }

  private change(part: Partial<VoteOptions>): void {
    const vote = { ...this.vote, ...part };
    this.dispatchEvent(new CustomEvent<VoteChangeDetail>('tm-vote-change', { detail: { vote }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tm-vote-settings': TmVoteSettings;
  }
  interface HTMLElementEventMap {
    'tm-vote-change': CustomEvent<VoteChangeDetail>;
  }
}
