// Items: each item's card with its costing method, inventory and value at a date, and
// its open cost layers drawn as a chart (quantity and unit cost per layer).
import { useEffect, useRef, useState } from "react";
import { request } from "../api";
import { graphql } from "../gql";
import { Link, Page, Problem, Table, useLoad } from "../ui";

const ItemList = graphql(`
  query ItemList {
    items { no description costingMethod invtPostingGroup unitCost standardCost }
  }
`);

const ItemCard = graphql(`
  query ItemCard($no: String!, $atDate: Date) {
    item(no: $no) {
      no description costingMethod invtPostingGroup genProdPostingGroup unitCost standardCost
      inventory(atDate: $atDate) { quantity costAmountActual costAmountExpected }
    }
  }
`);

// Apart from the card: an item can have a thousand open layers, and the card need not
// wait for them.
const OpenLayers = graphql(`
  query OpenLayers($no: String!) {
    openItemLedgerEntries(itemNo: $no) {
      entryNo postingDate locationCode remainingQuantity quantity costAmountActual costAmountExpected
    }
  }
`);

const Trail = graphql(`
  query ItemTrail($itemNo: String!, $after: String) {
    auditTrail(itemNo: $itemNo, first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { position aggregateVersion topic timestamp payload } }
    }
  }
`);

export default function Items({ args }: { args: string[] }) {
  return args[0] ? <Card no={args[0]} /> : <List />;
}

function List() {
  const items = useLoad(() => request(ItemList), []);
  return (
    <Page title="Items">
      <Problem error={items.error} />
      {items.data && (
        <Table
          caption="Items"
          rows={items.data.items}
          rowKey={(i) => i.no}
          columns={[
            { title: "No.", cell: (i) => <Link to={`/items/${encodeURIComponent(i.no)}`}>{i.no}</Link> },
            { title: "Description", cell: (i) => i.description ?? "" },
            { title: "Costing Method", cell: (i) => i.costingMethod },
            { title: "Inventory Posting Group", cell: (i) => i.invtPostingGroup },
            { title: "Unit Cost", cell: (i) => i.unitCost, number: true },
          ]}
        />
      )}
    </Page>
  );
}

function Card({ no }: { no: string }) {
  const [atDate, setAtDate] = useState("");
  const card = useLoad(() => request(ItemCard, { no, atDate: atDate || null }), [no, atDate]);
  const item = card.data?.item;
  return (
    <Page title={`Item ${no}`}>
      <p><Link to="/items">All items</Link></p>
      <Problem error={card.error ?? (card.data && !item ? `item ${no} does not exist` : null)} />
      {item && (
        <>
          <dl className="card">
            <dt>Description</dt><dd>{item.description ?? ""}</dd>
            <dt>Costing Method</dt><dd>{item.costingMethod}</dd>
            <dt>Posting groups</dt><dd>{item.invtPostingGroup} / {item.genProdPostingGroup}</dd>
            <dt>Unit Cost</dt><dd>{item.unitCost}{item.standardCost ? ` (standard ${item.standardCost})` : ""}</dd>
            <dt>Inventory</dt><dd>{item.inventory.quantity}</dd>
            <dt>Value (actual / expected)</dt><dd>{item.inventory.costAmountActual} / {item.inventory.costAmountExpected}</dd>
          </dl>
          <label className="field">
            <span>At date</span>
            <input type="date" value={atDate} onChange={(e) => setAtDate(e.target.value)} />
          </label>
          <Layers no={no} />
        </>
      )}
    </Page>
  );
}

function Layers({ no }: { no: string }) {
  const found = useLoad(() => request(OpenLayers, { no }), [no]);
  const layers = found.data?.openItemLedgerEntries ?? [];
  return (
    <>
      <h2>Open cost layers</h2>
      <Problem error={found.error} />
      {!found.data ? <p>Loading the open layers…</p> : layers.length ? <LayerChart layers={layers} /> : <p>No open layers.</p>}
      <AuditTrail no={no} />
      <Table
        caption="Open item ledger entries"
        rows={layers}
        rowKey={(l) => l.entryNo}
        columns={[
          { title: "Entry No.", cell: (l) => <Link to={`/navigate/ile/${l.entryNo}`}>{l.entryNo}</Link> },
          { title: "Posting Date", cell: (l) => l.postingDate },
          { title: "Location", cell: (l) => l.locationCode },
          { title: "Remaining", cell: (l) => l.remainingQuantity, number: true },
          { title: "Unit Cost", cell: (l) => unitCost(l), number: true },
        ]}
      />
    </>
  );
}

type Layer = { entryNo: number; remainingQuantity: string; quantity: string; costAmountActual: string; costAmountExpected: string };

function unitCost(layer: Layer): string {
  const cost = Number(layer.costAmountActual) + Number(layer.costAmountExpected);
  return (cost / Number(layer.quantity)).toFixed(5);
}

/** Chart.js, loaded only when a card with layers opens. */
function LayerChart({ layers }: { layers: Layer[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy: () => void } | undefined;
    let cancelled = false;
    void import("chart.js/auto").then(({ default: Chart }) => {
      if (cancelled || !canvas.current) return;
      chart = new Chart(canvas.current, {
        data: {
          labels: layers.map((l) => `#${l.entryNo}`),
          datasets: [
            { type: "bar", label: "Remaining quantity", data: layers.map((l) => Number(l.remainingQuantity)), yAxisID: "quantity" },
            { type: "line", label: "Unit cost", data: layers.map((l) => Number(unitCost(l))), yAxisID: "cost" },
          ],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { quantity: { position: "left" }, cost: { position: "right" } },
        },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [layers]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={`Open cost layers: ${layers.length} layers, remaining quantity and unit cost`} />
    </div>
  );
}

type Made = { entries?: { entry_no: number }[]; values?: { entry_no: number }[]; gl_entries?: { entry_no: number }[] };

/** The item's events, oldest first, with the entries each one made. */
function AuditTrail({ no }: { no: string }) {
  const [after, setAfter] = useState<string | null>(null);
  const trail = useLoad(() => request(Trail, { itemNo: no, after }), [no, after]);
  const page = trail.data?.auditTrail;
  const made = (payload: unknown, key: keyof Made) =>
    (((payload as { changes?: Made }).changes ?? {})[key] ?? []).map((e) => e.entry_no);
  return (
    <>
      <h2>Audit trail</h2>
      <Problem error={trail.error} />
      {page && (
        <>
          <Table
            caption={`Events of item ${no} (${page.totalCount})`}
            rows={page.edges.map((e) => e.node)}
            rowKey={(e) => e.position}
            columns={[
              { title: "Position", cell: (e) => e.position, number: true },
              { title: "Version", cell: (e) => e.aggregateVersion, number: true },
              { title: "Event", cell: (e) => e.topic.split(".").pop() },
              { title: "Stored", cell: (e) => e.timestamp.replace("T", " ").slice(0, 19) },
              {
                title: "Item ledger entries",
                cell: (e) => made(e.payload, "entries").map((n) => (
                  <Link key={n} to={`/navigate/ile/${n}`}>{`${n} `}</Link>
                )),
              },
              { title: "Value entries", cell: (e) => made(e.payload, "values").join(", ") },
              { title: "G/L entries", cell: (e) => made(e.payload, "gl_entries").join(", ") },
            ]}
          />
          {page.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter(page.pageInfo.endCursor ?? null)}>
              Later events
            </button>
          )}
        </>
      )}
    </>
  );
}
