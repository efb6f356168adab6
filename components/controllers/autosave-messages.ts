import type { AutosaveOptions, SavingAgainReason } from './autosave-controller';

const SAVING_AGAIN: Readonly<Record<SavingAgainReason, string>> = {
  'took-over': 'The other tab was closed: this tab saves your classes now, as you see them here.',
  'took-over-and-loaded': 'The other tab was closed: its saved classes are loaded here, and this tab saves them now.',
  recovered: 'Saving works again: your classes are saved in this browser.',
};

/** Where the app shows what saving says: the dataset toolbar's status line. */
export interface StatusLine {
  setStatus(text: string, isError?: boolean): void;
  /** Shown until the classes next change. */
  setStatusUntilChange(text: string): void;
}

/** What the app says about saving (restored, restoring, a problem, another tab saving, saving again), on `status`. */
export function autosaveMessages(status: StatusLine): Omit<AutosaveOptions, 'databaseName' | 'locks'> {
  return {
    onRestored: (message) => status.setStatusUntilChange(message),
    onRestoring: (message) => status.setStatus(message),
    onProblem: (problem) => status.setStatus(`Not saved in this browser: ${problem.message}`, true),
    onWaiting: () =>
      status.setStatus(
        'The app is open in another tab, which saves your classes. Changes made in this tab are not saved ' +
          'until that tab is closed.',
        true,
      ),
    onSavingAgain: (reason) => status.setStatus(SAVING_AGAIN[reason]),
  };
}
