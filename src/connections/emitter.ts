/**
 * A minimal event emitter with VS Code's `Event` shape (subscribe with a
 * listener, get back something with `dispose()`), so that the connection
 * manager runs, and is unit-tested, without the `vscode` module.
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    // A throwing listener must not stop the others (e.g. the status bar after a failing view).
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
