import type { AskSeerErrorInfo } from "ask-seer-polling";
import { describeRetry } from "../labels";

/** While polls fail and are retried: whether Sentry is slow, unreachable, or answering badly. */
export function RetryHint({ failure }: { failure: AskSeerErrorInfo }) {
  const { cause, text } = describeRetry(failure);
  return (
    <p className={`hint retry retry-${cause}`} data-testid="retrying" data-why={cause} title={failure.message}>
      {text}
    </p>
  );
}
