import { PageLoading } from "@/components/page-loading";

export default function MembersLoading() {
  return <PageLoading label="Loading members…" />;
}
