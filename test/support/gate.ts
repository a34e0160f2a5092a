/** Lets a test hold a handler after it has read the session, until the test releases it. */
export class Gate {
  private opened!: () => void;
  private entered!: () => void;
  readonly whenEntered: Promise<void>;
  private readonly whenOpened: Promise<void>;
  constructor() {
    this.whenEntered = new Promise((resolve) => (this.entered = resolve));
    this.whenOpened = new Promise((resolve) => (this.opened = resolve));
  }
  async pass(): Promise<void> {
    this.entered();
    await this.whenOpened;
  }
  open(): void {
    this.opened();
  }
}
