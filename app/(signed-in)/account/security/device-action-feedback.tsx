"use client";

import {
  ActionFeedback,
  useActionFeedback,
  type ReportOutcome,
} from "@/components/action-feedback";
import { ConfirmationScope } from "@/components/confirmation-scope";

/**
 * Shows the outcome of the last action on the devices page above the list, and keeps at most
 * one sign-out confirmation inside it open.
 */
export function DeviceActionFeedback({ children }: { children: React.ReactNode }) {
  return (
    <ActionFeedback testId="device-action-feedback">
      <ConfirmationScope>{children}</ConfirmationScope>
    </ActionFeedback>
  );
}

/** Returns the function that reports an outcome to the devices page's feedback region. */
export function useDeviceActionFeedback(): ReportOutcome {
  return useActionFeedback();
}
