import { Component, type ReactNode } from "react";
import { ErrorMessage } from "./feedback.js";

interface Props {
  /** Changing it (another page) clears a caught error. */
  resetKey: string;
  children: ReactNode;
}

/** A page that throws while rendering shows the error where the page would be, and the rest of the console works on. */
export class PageErrorBoundary extends Component<Props, { error: Error | null; resetKey: string }> {
  override state = { error: null as Error | null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; resetKey: string }) {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  override render() {
    if (this.state.error)
      return (
        <ErrorMessage
          error={this.state.error}
          action={<p>This page failed to show. Other pages still work; reloading may help.</p>}
        />
      );
    return this.props.children;
  }
}
