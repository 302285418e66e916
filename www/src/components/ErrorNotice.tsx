import type { AskSeerErrorInfo } from "ask-seer-polling";
import { describeError } from "../labels";

/** A failed run in plain words, with a way to ask again. */
export function ErrorNotice({ error, onRetry }: { error: AskSeerErrorInfo | null; onRetry: (() => void) | null }) {
  const { title, detail } = describeError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      {detail && <p className="notice-detail">{detail}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
