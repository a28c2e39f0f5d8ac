import { PageLoading } from "@/components/page-loading";

export default function DevicesLoading() {
  return <PageLoading label="Loading devices…" />;
}
