// Post Inventory Cost to G/L, as Business Central's request page: Post Method, Document
// No., an item filter, a "to" date and the Post checkbox (cleared: a preview that stores
// nothing), and the Test report. Lines are debits and credits, never netted. While a run
// (or preview) goes on, the page asks the server how far it has got.
import { useRef, useState } from "react";
import { request } from "../api";
import { graphql } from "../gql";
import type { InventoryCostTestReportQuery, PostInventoryCostMutation, PostMethod } from "../gql/graphql";
import { useCanPost } from "../main";
import { credit, debit, dims, Field, Link, Page, Problem, sum, Table, type UserErrorShape } from "../ui";

export const ReportFields = graphql(`
  fragment ReportFields on InventoryCostPostingReport {
    posted
    postMethod
    valueEntryCount
    lines {
      glAccountNo
      accountType
      balAccountType
      postingDate
      documentNo
      description
      amount
      locationCode
      invtPostingGroup
      genBusPostingGroup
      genProdPostingGroup
      dimensions { dimensionCode dimensionValueCode }
      valueEntryNos
    }
    skippedEntries { valueEntry { entryNo itemNo documentNo } errors { code message field } }
    warnings { valueEntry { entryNo itemNo documentNo } errors { code message field } }
    glRegister { no fromEntryNo toEntryNo }
  }
`);

const Post = graphql(`
  mutation PostInventoryCost($input: InventoryCostPostingInput!) {
    postInventoryCostToGL(input: $input) {
      __typename
      ... on InventoryCostPostingReport { ...ReportFields }
      ... on UserError { code message field }
    }
  }
`);

const Preview = graphql(`
  query PreviewInventoryCost($input: InventoryCostPostingInput!) {
    inventoryCostPostingPreview(input: $input) {
      __typename
      ... on InventoryCostPostingReport { ...ReportFields }
      ... on UserError { code message field }
    }
  }
`);

const TestReport = graphql(`
  query InventoryCostTestReport($input: InventoryCostPostingTestInput!) {
    inventoryCostPostingTest(input: $input) {
      __typename
      ... on InventoryCostPostingTestReport {
        errorCount
        lines {
          valueEntry { entryNo itemNo documentNo postingDate }
          lines { glAccountNo amount accountType }
          errors { code message field }
        }
      }
      ... on UserError { code message field }
    }
  }
`);

const RunProgress = graphql(`
  query CostPostingProgress($key: String!) {
    inventoryCostPostingProgress(progressKey: $key) { done total finished }
  }
`);

type Progress = { done: number; total: number };
const POLL_MS = 250;

/** Asks how far the run named `key` has got until stopped, or until a question fails
 * (the run's own answer then says what went wrong). */
function watchProgress(key: string, show: (progress: Progress) => void): () => void {
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      const found = (await request(RunProgress, { key })).inventoryCostPostingProgress;
      if (found && !stopped) show(found);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  poll().catch(() => undefined);
  return () => {
    stopped = true;
  };
}

const newKey = () => `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

const GLAccounts = graphql(`
  query AccountNames {
    glAccounts { no name }
  }
`);

type Report = Extract<PostInventoryCostMutation["postInventoryCostToGL"], { __typename: "InventoryCostPostingReport" }>;
type Test = Extract<InventoryCostTestReportQuery["inventoryCostPostingTest"], { __typename: "InventoryCostPostingTestReport" }>;

const FIELDS = ["postMethod", "documentNo", "itemNos", "postingDateTo"];

export default function PostCost() {
  const canPost = useCanPost();
  const [postMethod, setPostMethod] = useState<PostMethod>("PER_ENTRY");
  const [documentNo, setDocumentNo] = useState("");
  const [itemNos, setItemNos] = useState("");
  const [postingDateTo, setPostingDateTo] = useState("");
  const [post, setPost] = useState(true);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [test, setTest] = useState<Test | null>(null);
  const [error, setError] = useState<UserErrorShape | string | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const running = useRef(false);

  const input = () => ({
    postMethod,
    documentNo: documentNo.trim() || null,
    itemNos: itemNos.trim() ? itemNos.split(/[\s,]+/).filter(Boolean) : null,
    postingDateTo: postingDateTo || null,
  });

  /** One run at a time, whatever the clicks: the second click of a double click does nothing. */
  async function run(what: string, action: () => Promise<void>) {
    if (running.current) return;
    running.current = true;
    setBusy(what);
    setError(null);
    try {
      if (!Object.keys(names).length) {
        const accounts = await request(GLAccounts);
        setNames(Object.fromEntries(accounts.glAccounts.map((a) => [a.no, a.name])));
      }
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      running.current = false;
      setBusy(null);
    }
  }

  const submit = () =>
    run(post ? "Posting" : "Previewing", async () => {
      setTest(null);
      const key = newKey();
      const stop = watchProgress(key, setProgress);
      const asked = { input: { ...input(), progressKey: key } };
      let result;
      try {
        result = post
          ? (await request(Post, asked)).postInventoryCostToGL
          : (await request(Preview, asked)).inventoryCostPostingPreview;
      } finally {
        stop();
        setProgress(null);
      }
      if (result.__typename === "UserError") {
        setReport(null);
        setError(result);
      } else setReport(result as Report);
    });

  const testReport = () =>
    run("Testing", async () => {
      setReport(null);
      const result = (await request(TestReport, { input: input() })).inventoryCostPostingTest;
      if (result.__typename === "UserError") setError(result);
      else setTest(result);
    });

  const errorOf = typeof error === "string" ? null : error;
  return (
    <Page title="Post Inventory Cost to G/L">
      <form
        className="request"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <fieldset disabled={busy !== null}>
          <legend>Options</legend>
          <Field label="Post Method" name="postMethod" error={errorOf}>
            <select value={postMethod} onChange={(e) => setPostMethod(e.target.value as PostMethod)}>
              <option value="PER_ENTRY">Per Entry</option>
              <option value="PER_POSTING_GROUP">Per Posting Group</option>
            </select>
          </Field>
          <Field label="Document No." name="documentNo" error={errorOf}>
            <input value={documentNo} onChange={(e) => setDocumentNo(e.target.value)} />
          </Field>
          <Field label="Post" name="post">
            <input type="checkbox" checked={post} disabled={!canPost} onChange={(e) => setPost(e.target.checked)} />
          </Field>
        </fieldset>
        <fieldset disabled={busy !== null}>
          <legend>Filter: Value Entry</legend>
          <Field label="Item No." name="itemNos" error={errorOf}>
            <input value={itemNos} placeholder="all items" onChange={(e) => setItemNos(e.target.value)} />
          </Field>
          <Field label="Posting Date to" name="postingDateTo" error={errorOf}>
            <input type="date" value={postingDateTo} onChange={(e) => setPostingDateTo(e.target.value)} />
          </Field>
        </fieldset>
        <div className="actions">
          {canPost && (
            <button type="submit" disabled={busy !== null}>
              {post ? "Post" : "Preview"}
            </button>
          )}
          {canPost && (
            <button type="button" disabled={busy !== null} onClick={() => void testReport()}>
              Test report
            </button>
          )}
          {busy && (
            <span className="progress" role="status">
              {busy}...
              {progress && (
                <>
                  {" "}
                  <progress max={progress.total} value={progress.done} aria-label="Value entries read" />{" "}
                  {progress.done.toLocaleString("en")} of {progress.total.toLocaleString("en")} value entries
                </>
              )}
            </span>
          )}
        </div>
      </form>
      <Problem error={error} fields={FIELDS} />
      {report && <ReportView report={report} names={names} />}
      {test && <TestView test={test} />}
    </Page>
  );
}

function ReportView({ report, names }: { report: Report; names: Record<string, string> }) {
  const lines = report.lines;
  return (
    <div className="result" aria-label="Result">
      <p className="summary">
        {report.posted ? "Posted" : "Preview (nothing stored)"}: {report.valueEntryCount} value entries,{" "}
        {lines.length} lines
        {report.glRegister && (
          <>
            , G/L register <Link to={`/navigate/register/${report.glRegister.no}`}>{report.glRegister.no}</Link>
          </>
        )}
      </p>
      <Table
        caption="G/L lines"
        rows={lines}
        rowKey={(line) => `${line.glAccountNo}-${line.valueEntryNos.join(",")}-${line.amount}-${line.accountType}`}
        columns={[
          { title: "Posting Date", cell: (l) => l.postingDate },
          { title: "Document No.", cell: (l) => l.documentNo },
          { title: "G/L Account", cell: (l) => l.glAccountNo },
          { title: "Name", cell: (l) => names[l.glAccountNo] ?? "" },
          { title: "Debit", cell: (l) => debit(l.amount), number: true },
          { title: "Credit", cell: (l) => credit(l.amount), number: true },
          { title: "Account Type", cell: (l) => l.accountType },
          { title: "Location", cell: (l) => l.locationCode },
          { title: "Inventory Posting Group", cell: (l) => l.invtPostingGroup },
          { title: "Gen. Bus. / Prod.", cell: (l) => `${l.genBusPostingGroup} / ${l.genProdPostingGroup}` },
          { title: "Dimensions", cell: (l) => dims(l.dimensions) },
          { title: "Value Entries", cell: (l) => l.valueEntryNos.join(", ") },
        ]}
        footer={
          <tfoot>
            <tr>
              <th scope="row" colSpan={4}>
                Total
              </th>
              <td className="number">{sum(lines.map((l) => debit(l.amount) || "0"))}</td>
              <td className="number">{sum(lines.map((l) => credit(l.amount) || "0"))}</td>
              <td colSpan={6} />
            </tr>
          </tfoot>
        }
      />
      <Skipped title="Skipped entries" entries={report.skippedEntries} />
      <Skipped title="Warnings" entries={report.warnings} />
    </div>
  );
}

function Skipped(props: {
  title: string;
  entries: readonly { valueEntry: { entryNo: number; itemNo: string; documentNo: string }; errors: readonly UserErrorShape[] }[];
}) {
  if (!props.entries.length) return null;
  return (
    <Table
      caption={props.title}
      rows={props.entries}
      rowKey={(s) => s.valueEntry.entryNo}
      columns={[
        { title: "Value Entry", cell: (s) => s.valueEntry.entryNo },
        { title: "Item", cell: (s) => s.valueEntry.itemNo },
        { title: "Document No.", cell: (s) => s.valueEntry.documentNo },
        { title: "Reason", cell: (s) => s.errors.map((e) => `${e.code}: ${e.message}`).join("; ") },
      ]}
    />
  );
}

function TestView({ test }: { test: Test }) {
  const rows = test.lines.flatMap((line) =>
    (line.lines.length ? line.lines : [null]).map((posting, index) => ({ line, posting, index })),
  );
  return (
    <div className="result" aria-label="Test report">
      <p className="summary">
        Test report: {test.lines.length} value entries, {test.errorCount} errors
      </p>
      <Table
        caption="Test report"
        rows={rows}
        rowKey={(r) => `${r.line.valueEntry.entryNo}-${r.index}`}
        columns={[
          { title: "Value Entry", cell: (r) => r.line.valueEntry.entryNo },
          { title: "Item", cell: (r) => r.line.valueEntry.itemNo },
          { title: "Document No.", cell: (r) => r.line.valueEntry.documentNo },
          { title: "Posting Date", cell: (r) => r.line.valueEntry.postingDate },
          { title: "G/L Account", cell: (r) => r.posting?.glAccountNo ?? "" },
          { title: "Debit", cell: (r) => (r.posting ? debit(r.posting.amount) : ""), number: true },
          { title: "Credit", cell: (r) => (r.posting ? credit(r.posting.amount) : ""), number: true },
          {
            title: "Errors",
            cell: (r) => (r.index ? "" : r.line.errors.map((e) => `${e.code}: ${e.message}`).join("; ")),
          },
        ]}
      />
    </div>
  );
}
