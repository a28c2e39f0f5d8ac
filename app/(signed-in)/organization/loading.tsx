import { PageLoading } from "@/components/page-loading";

// Also shown, briefly, on the way to /organization/new, which has no fallback of its own.
export default function OrganizationLoading() {
  return <PageLoading label="Loading organization…" rows={1} />;
}
