// A posting's result as the entries it made: item ledger entries, value entries and
// G/L entries (debits and credits), each linking to Navigate.
import { graphql } from "../gql";
import { credit, debit, dims, Link, Table } from "../ui";

export const PostingFields = graphql(`
  fragment PostingFields on PostingResult {
    itemLedgerEntries {
      entryNo entryType itemNo postingDate documentNo locationCode quantity remainingQuantity
      invoicedQuantity costAmountActual costAmountExpected
    }
    valueEntries {
      entryNo itemLedgerEntryNo entryType postingDate documentNo locationCode valuedQuantity
      costAmountActual costAmountExpected salesAmountActual adjustment
    }
    glEntries { entryNo glAccountNo postingDate documentNo description amount dimensions { dimensionCode dimensionValueCode } }
  }
`);

type Ile = { entryNo: number; entryType: string; itemNo: string; postingDate: string; documentNo: string;
  locationCode: string; quantity: string; remainingQuantity: string; invoicedQuantity: string;
  costAmountActual: string; costAmountExpected: string };
type Ve = { entryNo: number; itemLedgerEntryNo: number; entryType: string; postingDate: string; documentNo: string;
  locationCode: string; valuedQuantity: string; costAmountActual: string; costAmountExpected: string;
  salesAmountActual: string; adjustment: boolean };
type Gl = { entryNo: number; glAccountNo: string; postingDate: string; documentNo: string; description: string;
  amount: string; dimensions: readonly { dimensionCode: string; dimensionValueCode: string }[] };

export function EntriesMade(props: { ile?: readonly Ile[]; ve: readonly Ve[]; gl: readonly Gl[] }) {
  return (
    <div className="result" aria-label="Entries made">
      {props.ile && <IleTable rows={props.ile} caption="Item ledger entries" />}
      <VeTable rows={props.ve} caption="Value entries" />
      {props.gl.length > 0 && <GlTable rows={props.gl} caption="G/L entries" />}
    </div>
  );
}

export function IleTable({ rows, caption }: { rows: readonly Ile[]; caption: string }) {
  return (
    <Table caption={caption} rows={rows} rowKey={(e) => e.entryNo} columns={[
      { title: "Entry No.", cell: (e) => <Link to={`/navigate/ile/${e.entryNo}`}>{e.entryNo}</Link> },
      { title: "Type", cell: (e) => e.entryType },
      { title: "Item", cell: (e) => e.itemNo },
      { title: "Posting Date", cell: (e) => e.postingDate },
      { title: "Document No.", cell: (e) => e.documentNo },
      { title: "Location", cell: (e) => e.locationCode },
      { title: "Quantity", cell: (e) => e.quantity, number: true },
      { title: "Remaining", cell: (e) => e.remainingQuantity, number: true },
      { title: "Invoiced", cell: (e) => e.invoicedQuantity, number: true },
      { title: "Cost (Actual)", cell: (e) => e.costAmountActual, number: true },
      { title: "Cost (Expected)", cell: (e) => e.costAmountExpected, number: true },
    ]} />
  );
}

export function VeTable({ rows, caption }: { rows: readonly Ve[]; caption: string }) {
  return (
    <Table caption={caption} rows={rows} rowKey={(v) => v.entryNo} columns={[
      { title: "Entry No.", cell: (v) => v.entryNo },
      { title: "Item Ledger Entry", cell: (v) => <Link to={`/navigate/ile/${v.itemLedgerEntryNo}`}>{v.itemLedgerEntryNo}</Link> },
      { title: "Type", cell: (v) => `${v.entryType}${v.adjustment ? " (adjustment)" : ""}` },
      { title: "Posting Date", cell: (v) => v.postingDate },
      { title: "Document No.", cell: (v) => v.documentNo },
      { title: "Location", cell: (v) => v.locationCode },
      { title: "Valued Qty.", cell: (v) => v.valuedQuantity, number: true },
      { title: "Cost (Actual)", cell: (v) => v.costAmountActual, number: true },
      { title: "Cost (Expected)", cell: (v) => v.costAmountExpected, number: true },
      { title: "Sales (Actual)", cell: (v) => v.salesAmountActual, number: true },
    ]} />
  );
}

export function GlTable({ rows, caption }: { rows: readonly Gl[]; caption: string }) {
  return (
    <Table caption={caption} rows={rows} rowKey={(g) => g.entryNo} columns={[
      { title: "Entry No.", cell: (g) => g.entryNo },
      { title: "G/L Account", cell: (g) => g.glAccountNo },
      { title: "Posting Date", cell: (g) => g.postingDate },
      { title: "Document No.", cell: (g) => g.documentNo },
      { title: "Description", cell: (g) => g.description },
      { title: "Dimensions", cell: (g) => dims(g.dimensions) },
      { title: "Debit", cell: (g) => debit(g.amount), number: true },
      { title: "Credit", cell: (g) => credit(g.amount), number: true },
    ]} />
  );
}
