// Navigate: from a G/L register to its G/L entries, to the value entries behind each
// line, to their item ledger entries and their applications (which inbound fed which
// outbound, at what cost), and back.
import { request } from "../api";
import { graphql } from "../gql";
import { Link, Page, Problem, Table, useLoad } from "../ui";
import { GlTable, IleTable, VeTable } from "./results";

const Registers = graphql(`
  query Registers {
    glRegisters { no fromEntryNo toEntryNo sourceCode createdAt position }
  }
`);

const RegisterEntries = graphql(`
  query RegisterEntries($after: String, $first: Int!) {
    glEntries(after: $after, first: $first) {
      edges { node {
        entryNo glAccountNo postingDate documentNo description amount valueEntryNos
        dimensions { dimensionCode dimensionValueCode }
      } }
    }
  }
`);

const ValueEntriesByNo = graphql(`
  query ValueEntriesByNo($entryNos: [Int!]!) {
    valueEntriesByNo(entryNos: $entryNos) {
      entryNo itemLedgerEntryNo entryType postingDate documentNo locationCode valuedQuantity
      costAmountActual costAmountExpected salesAmountActual adjustment
    }
  }
`);

const Entry = graphql(`
  query NavigateEntry($entryNo: Int!) {
    itemLedgerEntry(entryNo: $entryNo) {
      entryNo entryType itemNo postingDate documentNo locationCode quantity remainingQuantity
      invoicedQuantity costAmountActual costAmountExpected
      valueEntries {
        entryNo itemLedgerEntryNo entryType postingDate documentNo locationCode valuedQuantity
        costAmountActual costAmountExpected salesAmountActual adjustment
      }
      applications { inboundEntryNo outboundEntryNo quantity costAmount }
    }
  }
`);

export default function Navigate({ args }: { args: string[] }) {
  if (args[0] === "register" && args[1]) return <Register no={Number(args[1])} />;
  if (args[0] === "ile" && args[1]) return <ItemLedgerEntry no={Number(args[1])} />;
  return <RegisterList />;
}

function RegisterList() {
  const registers = useLoad(() => request(Registers), []);
  return (
    <Page title="G/L registers">
      <Problem error={registers.error} />
      {registers.data && (
        <Table
          caption="G/L registers, newest first"
          rows={[...registers.data.glRegisters].reverse()}
          rowKey={(r) => r.no}
          columns={[
            { title: "No.", cell: (r) => <Link to={`/navigate/register/${r.no}`}>{r.no}</Link> },
            { title: "Source Code", cell: (r) => r.sourceCode },
            { title: "From Entry No.", cell: (r) => r.fromEntryNo, number: true },
            { title: "To Entry No.", cell: (r) => r.toEntryNo, number: true },
            { title: "Created", cell: (r) => r.createdAt.replace("T", " ").slice(0, 19) },
          ]}
        />
      )}
    </Page>
  );
}

function Register({ no }: { no: number }) {
  const found = useLoad(async () => {
    const register = (await request(Registers)).glRegisters.find((r) => r.no === no);
    if (!register) throw new Error(`G/L register ${no} does not exist`);
    const count = register.toEntryNo - register.fromEntryNo + 1;
    const entries = (await request(RegisterEntries, { after: String(register.fromEntryNo - 1), first: count })).glEntries.edges.map((e) => e.node);
    const values = (await request(ValueEntriesByNo, { entryNos: [...new Set(entries.flatMap((e) => e.valueEntryNos))] })).valueEntriesByNo;
    return { register, entries, values };
  }, [no]);
  return (
    <Page title={`G/L register ${no}`}>
      <p><Link to="/navigate">All registers</Link></p>
      <Problem error={found.error} />
      {found.data && (
        <>
          <p className="summary">
            {found.data.register.sourceCode}: G/L entries {found.data.register.fromEntryNo} to {found.data.register.toEntryNo}
          </p>
          <GlTable rows={found.data.entries} caption="G/L entries of the register" />
          <VeTable rows={found.data.values} caption="Value entries behind them" />
        </>
      )}
    </Page>
  );
}

function ItemLedgerEntry({ no }: { no: number }) {
  const found = useLoad(() => request(Entry, { entryNo: no }), [no]);
  const entry = found.data?.itemLedgerEntry;
  return (
    <Page title={`Item ledger entry ${no}`}>
      <p><Link to="/navigate">All registers</Link></p>
      <Problem error={found.error ?? (found.data && !entry ? `item ledger entry ${no} does not exist` : null)} />
      {entry && (
        <>
          <IleTable rows={[entry]} caption="The entry" />
          <VeTable rows={entry.valueEntries} caption="Its value entries" />
          <Table
            caption="Applications: which inbound entry fed which outbound entry, at what cost"
            rows={entry.applications}
            rowKey={(a) => `${a.inboundEntryNo}-${a.outboundEntryNo}-${a.quantity}-${a.costAmount}`}
            columns={[
              { title: "Inbound Entry", cell: (a) => <Link to={`/navigate/ile/${a.inboundEntryNo}`}>{a.inboundEntryNo}</Link> },
              { title: "Outbound Entry", cell: (a) => <Link to={`/navigate/ile/${a.outboundEntryNo}`}>{a.outboundEntryNo}</Link> },
              { title: "Quantity", cell: (a) => a.quantity, number: true },
              { title: "Cost", cell: (a) => a.costAmount, number: true },
            ]}
          />
        </>
      )}
    </Page>
  );
}
