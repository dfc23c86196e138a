// Item ledger entries, value entries and G/L entries: paged through the API's cursor
// connections as the list scrolls (a list of 100,000 entries never loads them all, and
// only the rows in view are drawn), with filters, totals over everything the filter
// selects (summed by the server), "as known at" a past position of the event store, and,
// while open, the entries posted meanwhile (subscriptions).
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { request, subscribe } from "../api";
import { graphql } from "../gql";
import { credit, debit, dims, Link, Page, Problem } from "../ui";

const Iles = graphql(`
  query IleList($filter: ItemLedgerEntryFilter, $first: Int!, $after: String) {
    itemLedgerEntryList(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        entryNo entryType itemNo postingDate documentNo locationCode quantity remainingQuantity
        invoicedQuantity costAmountActual costAmountExpected
      } }
    }
  }
`);

const Ves = graphql(`
  query VeList($filter: ValueEntryFilter, $first: Int!, $after: String) {
    valueEntries(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        entryNo itemLedgerEntryNo itemNo entryType postingDate documentNo locationCode valuedQuantity
        costAmountActual costAmountExpected costPostedToGL adjustment
      } }
    }
  }
`);

const Gls = graphql(`
  query GlList($filter: GLEntryFilter, $first: Int!, $after: String) {
    glEntries(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        entryNo glAccountNo postingDate documentNo description amount
        dimensions { dimensionCode dimensionValueCode } valueEntryNos
      } }
    }
  }
`);

const IleTotals = graphql(`
  query IleTotals($filter: ItemLedgerEntryFilter) {
    itemLedgerEntryList(filter: $filter, first: 0) {
      totals { quantity remainingQuantity costAmountActual costAmountExpected }
    }
  }
`);

const VeTotals = graphql(`
  query VeTotals($filter: ValueEntryFilter) {
    valueEntries(filter: $filter, first: 0) {
      totals { costAmountActual costAmountExpected costPostedToGL }
    }
  }
`);

const GlTotals = graphql(`
  query GlTotals($filter: GLEntryFilter) {
    glEntries(filter: $filter, first: 0) { totals { debitAmount creditAmount balance } }
  }
`);

const NewValueEntries = graphql(`
  subscription NewValueEntries {
    valueEntryPosted {
      entryNo itemLedgerEntryNo itemNo entryType postingDate documentNo locationCode valuedQuantity
      costAmountActual costAmountExpected costPostedToGL adjustment
    }
  }
`);

const NewGlEntries = graphql(`
  subscription NewGlEntries {
    glEntryPosted {
      entryNo glAccountNo postingDate documentNo description amount
      dimensions { dimensionCode dimensionValueCode } valueEntryNos
    }
  }
`);

type Kind = "item-ledger" | "value" | "gl";
const PAGE = 200;
const TOTALS_EVERY_MS = 1000;
type Row = { entryNo: number } & Record<string, unknown>;
type Column = { title: string; cell: (row: Row) => ReactNode; number?: boolean; width: string };
type Filters = Record<string, string>;
type PageOf = { rows: Row[]; total: number; next: string | null };

const text = (row: Row, key: string) => String(row[key] ?? "");

type Connection = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: readonly { node: unknown }[];
};

const AS_OF: [string, string, string] = ["asOfPosition", "As known at position", "number"];
const position = (filters: Filters) => (filters.asOfPosition ? Number(filters.asOfPosition) : null);

function pageOf(connection: Connection): PageOf {
  const { pageInfo } = connection;
  return {
    rows: connection.edges.map((edge) => edge.node as Row),
    total: connection.totalCount,
    next: pageInfo.hasNextPage ? pageInfo.endCursor ?? null : null,
  };
}

const KINDS: Record<Kind, {
  title: string;
  filters: [string, string, string][];
  columns: Column[];
  filter: (filters: Filters) => Record<string, unknown>;
  totals: (filter: Record<string, unknown>) => Promise<string>;
  load: (filter: Record<string, unknown>, after: string | null) => Promise<PageOf>;
  live?: (onRow: (row: Row) => void) => () => void;
  matches?: (row: Row, filters: Filters) => boolean;
}> = {
  "item-ledger": {
    title: "Item ledger entries",
    filters: [["itemNo", "Item No.", "text"], ["locationCode", "Location", "text"], ["documentNo", "Document No.", "text"],
      ["postingDateFrom", "From", "date"], ["postingDateTo", "To", "date"], ["openOnly", "Open", "open"], AS_OF],
    columns: [
      { title: "Entry No.", cell: (r) => <Link to={`/navigate/ile/${r.entryNo}`}>{r.entryNo}</Link>, width: "6em" },
      { title: "Type", cell: (r) => text(r, "entryType"), width: "9em" },
      { title: "Item", cell: (r) => text(r, "itemNo"), width: "6em" },
      { title: "Posting Date", cell: (r) => text(r, "postingDate"), width: "7em" },
      { title: "Document No.", cell: (r) => text(r, "documentNo"), width: "8em" },
      { title: "Location", cell: (r) => text(r, "locationCode"), width: "5em" },
      { title: "Quantity", cell: (r) => text(r, "quantity"), number: true, width: "6em" },
      { title: "Remaining", cell: (r) => text(r, "remainingQuantity"), number: true, width: "6em" },
      { title: "Cost (Actual)", cell: (r) => text(r, "costAmountActual"), number: true, width: "8em" },
      { title: "Cost (Expected)", cell: (r) => text(r, "costAmountExpected"), number: true, width: "8em" },
    ],
    filter: (filters) => ({
      itemNo: filters.itemNo || null,
      locationCode: filters.locationCode || null,
      documentNo: filters.documentNo || null,
      postingDateFrom: filters.postingDateFrom || null,
      postingDateTo: filters.postingDateTo || null,
      openOnly: filters.openOnly === "yes",
      asOfPosition: position(filters),
    }),
    totals: async (filter) => {
      const t = (await request(IleTotals, { filter })).itemLedgerEntryList.totals;
      return `quantity ${t.quantity}, remaining ${t.remainingQuantity}, cost ${t.costAmountActual} actual, ${t.costAmountExpected} expected`;
    },
    load: async (filter, after) => pageOf((await request(Iles, { filter, first: PAGE, after })).itemLedgerEntryList),
  },
  value: {
    title: "Value entries",
    filters: [["itemNo", "Item No.", "text"], ["locationCode", "Location", "text"], ["documentNo", "Document No.", "text"],
      ["postingDateFrom", "From", "date"], ["postingDateTo", "To", "date"], ["postedToGL", "Posted to G/L", "posted"], AS_OF],
    columns: [
      { title: "Entry No.", cell: (r) => r.entryNo, width: "6em" },
      { title: "Item Ledger Entry", cell: (r) => <Link to={`/navigate/ile/${text(r, "itemLedgerEntryNo")}`}>{text(r, "itemLedgerEntryNo")}</Link>, width: "7em" },
      { title: "Item", cell: (r) => text(r, "itemNo"), width: "6em" },
      { title: "Type", cell: (r) => `${text(r, "entryType")}${r.adjustment ? " (adj.)" : ""}`, width: "10em" },
      { title: "Posting Date", cell: (r) => text(r, "postingDate"), width: "7em" },
      { title: "Document No.", cell: (r) => text(r, "documentNo"), width: "8em" },
      { title: "Location", cell: (r) => text(r, "locationCode"), width: "5em" },
      { title: "Cost (Actual)", cell: (r) => text(r, "costAmountActual"), number: true, width: "8em" },
      { title: "Cost (Expected)", cell: (r) => text(r, "costAmountExpected"), number: true, width: "8em" },
      { title: "Posted to G/L", cell: (r) => text(r, "costPostedToGL"), number: true, width: "8em" },
    ],
    filter: (filters) => ({
      itemNo: filters.itemNo || null,
      postingDateFrom: filters.postingDateFrom || null,
      postingDateTo: filters.postingDateTo || null,
      postedToGL: filters.postedToGL ? filters.postedToGL === "yes" : null,
      locationCode: filters.locationCode || null,
      documentNo: filters.documentNo || null,
      asOfPosition: position(filters),
    }),
    totals: async (filter) => {
      const t = (await request(VeTotals, { filter })).valueEntries.totals;
      return `cost ${t.costAmountActual} actual, ${t.costAmountExpected} expected, ${t.costPostedToGL} posted to G/L`;
    },
    load: async (filter, after) => pageOf((await request(Ves, { filter, first: PAGE, after })).valueEntries),
    live: (onRow) => subscribe(NewValueEntries, (data) => onRow(data.valueEntryPosted as Row)),
    matches: (row, f) =>
      (!f.itemNo || row.itemNo === f.itemNo) && (!f.locationCode || row.locationCode === f.locationCode) &&
      (!f.documentNo || row.documentNo === f.documentNo) && !f.postedToGL && !f.postingDateFrom && !f.postingDateTo &&
      !f.asOfPosition,
  },
  gl: {
    title: "G/L entries",
    filters: [["glAccountNo", "G/L Account", "text"], ["documentNo", "Document No.", "text"], ["postingDateFrom", "From", "date"],
      ["postingDateTo", "To", "date"], AS_OF],
    columns: [
      { title: "Entry No.", cell: (r) => r.entryNo, width: "6em" },
      { title: "G/L Account", cell: (r) => text(r, "glAccountNo"), width: "6em" },
      { title: "Posting Date", cell: (r) => text(r, "postingDate"), width: "7em" },
      { title: "Document No.", cell: (r) => text(r, "documentNo"), width: "8em" },
      { title: "Description", cell: (r) => text(r, "description"), width: "14em" },
      { title: "Dimensions", cell: (r) => dims((r.dimensions as { dimensionCode: string; dimensionValueCode: string }[]) ?? []), width: "12em" },
      { title: "Debit", cell: (r) => debit(text(r, "amount")), number: true, width: "7em" },
      { title: "Credit", cell: (r) => credit(text(r, "amount")), number: true, width: "7em" },
      { title: "Value Entries", cell: (r) => ((r.valueEntryNos as number[]) ?? []).join(", "), width: "8em" },
    ],
    filter: (filters) => ({
      glAccountNo: filters.glAccountNo || null,
      documentNo: filters.documentNo || null,
      postingDateFrom: filters.postingDateFrom || null,
      postingDateTo: filters.postingDateTo || null,
      asOfPosition: position(filters),
    }),
    totals: async (filter) => {
      const t = (await request(GlTotals, { filter })).glEntries.totals;
      return `debit ${t.debitAmount}, credit ${t.creditAmount}, balance ${t.balance}`;
    },
    load: async (filter, after) => pageOf((await request(Gls, { filter, first: PAGE, after })).glEntries),
    live: (onRow) => subscribe(NewGlEntries, (data) => onRow(data.glEntryPosted as Row)),
    matches: (_row, f) => !Object.values(f).some(Boolean),
  },
};

export default function Entries({ args }: { args: string[] }) {
  const kind: Kind = (args[0] as Kind) in KINDS ? (args[0] as Kind) : "item-ledger";
  const spec = KINDS[kind];
  // a link may set the filters: #/entries/value/postedToGL=no&itemNo=1000
  const preset = Object.fromEntries(new URLSearchParams(args[1] ?? ""));
  const [filters, setFilters] = useState<Filters>(preset);
  const [applied, setApplied] = useState<Filters>(preset);
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState(0);
  const [totals, setTotals] = useState("");
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(0);
  const generation = useRef(0);

  const loadMore = useCallback(
    async (after: string | null, fresh: boolean) => {
      const mine = fresh ? ++generation.current : generation.current;
      setLoading(true);
      try {
        const page = await spec.load(spec.filter(applied), after);
        if (mine !== generation.current) return;
        setRows((previous) => (fresh ? page.rows : [...previous, ...page.rows]));
        setTotal(page.total);
        setNext(page.next);
        setError(null);
      } catch (failure) {
        setError((failure as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [spec, applied],
  );

  useEffect(() => {
    setRows([]);
    setLive(0);
    void loadMore(null, true);
  }, [loadMore]);

  // Totals over the whole filtered set; summed again when live entries arrive, at most
  // once a second (a busy ledger posts many a second, and each sum reads the whole set).
  const summing = useRef({ filters: 0, at: 0 });
  useEffect(() => {
    summing.current.filters += 1;
    setTotals("");
  }, [spec, applied]);
  useEffect(() => {
    const asked = summing.current.filters;
    const wait = live ? Math.max(0, summing.current.at + TOTALS_EVERY_MS - Date.now()) : 0;
    const timer = setTimeout(() => {
      summing.current.at = Date.now();
      spec.totals(spec.filter(applied)).then(
        (text) => asked === summing.current.filters && setTotals(text),
        (failure: Error) => asked === summing.current.filters && setError(failure.message),
      );
    }, wait);
    return () => clearTimeout(timer);
  }, [spec, applied, live]);

  useEffect(() => {
    if (!spec.live) return;
    return spec.live((row) => {
      if (spec.matches && !spec.matches(row, applied)) return;
      setRows((previous) => (previous.some((r) => r.entryNo === row.entryNo) ? previous : [...previous, row]));
      setTotal((n) => n + 1);
      setLive((n) => n + 1);
    });
  }, [spec, applied]);

  return (
    <Page title={spec.title}>
      <nav className="tabs" aria-label="Lists">
        {(Object.keys(KINDS) as Kind[]).map((k) => (
          <a key={k} href={`#/entries/${k}`} aria-current={k === kind ? "page" : undefined}>
            {KINDS[k].title}
          </a>
        ))}
      </nav>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ ...filters });
        }}
      >
        {spec.filters.map(([name, label, type]) => (
          <label className="field" key={name}>
            <span>{label}</span>
            {type === "posted" || type === "open" ? (
              <select value={filters[name] ?? ""} onChange={(e) => setFilters({ ...filters, [name]: e.target.value })}>
                <option value="">all</option>
                <option value="yes">{type === "posted" ? "posted" : "open only"}</option>
                {type === "posted" && <option value="no">not posted</option>}
              </select>
            ) : (
              <input type={type} value={filters[name] ?? ""} onChange={(e) => setFilters({ ...filters, [name]: e.target.value })} />
            )}
          </label>
        ))}
        <button type="submit">Filter</button>
      </form>
      <p className="summary" aria-live="polite">
        {total.toLocaleString("en")} entries{applied.asOfPosition ? ` as known at position ${applied.asOfPosition}` : ""};
        {" "}{rows.length.toLocaleString("en")} loaded; totals: <span className="totals">{totals || "…"}</span>
        {spec.live && !applied.asOfPosition && <span className="live"> live{live ? `: ${live} new` : ""}</span>}
      </p>
      <Problem error={error} />
      <VirtualRows
        caption={spec.title}
        columns={spec.columns}
        rows={rows}
        busy={loading}
        onNearEnd={() => next && !loading && void loadMore(next, false)}
      />
    </Page>
  );
}

const ROW_HEIGHT = 30;

/** Only the rows in view are in the page; scrolling near the end asks for the next page. */
function VirtualRows(props: { caption: string; columns: Column[]; rows: Row[]; busy: boolean; onNearEnd: () => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const last = items.length ? items[items.length - 1].index : 0;
  const { onNearEnd } = props;
  useEffect(() => {
    if (last >= props.rows.length - 50) onNearEnd();
  }, [last, props.rows.length, onNearEnd]);
  const template = props.columns.map((c) => c.width).join(" ");
  return (
    <div className="grid" role="table" aria-label={props.caption} aria-rowcount={props.rows.length + 1} aria-busy={props.busy}>
      <div role="rowgroup">
        <div className="grid-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          {props.columns.map((c) => (
            <span key={c.title} role="columnheader" className={c.number ? "number" : undefined}>
              {c.title}
            </span>
          ))}
        </div>
      </div>
      <div className="grid-body" role="rowgroup" ref={scroller} tabIndex={0}>
        <div role="presentation" style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const row = props.rows[item.index];
            return (
              <div
                key={row.entryNo}
                role="row"
                aria-rowindex={item.index + 2}
                className="grid-row"
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                {props.columns.map((c) => (
                  <span key={c.title} role="cell" className={c.number ? "number" : undefined}>
                    {c.cell(row)}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
