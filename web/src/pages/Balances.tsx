// The trial balance and the reconciliation of inventory value with the G/L at a date;
// and time travel: both as known at any past position of the event store, moved through
// G/L register by register, with links to the entry lists as known at the same position.
import { useState } from "react";
import { request } from "../api";
import { graphql } from "../gql";
import { Link, Page, Problem, sum, Table, useLoad } from "../ui";

const Balances = graphql(`
  query Balances($atDate: Date, $asOfPosition: Int) {
    trialBalance(atDate: $atDate, asOfPosition: $asOfPosition) { glAccountNo name debit credit balance }
    reconciliation(atDate: $atDate, asOfPosition: $asOfPosition) {
      locationCode invtPostingGroup inventoryAccount inventoryValue glBalance notPostedToGL difference
    }
  }
`);

const Registers = graphql(`
  query TimeTravelRegisters {
    glRegisters { no sourceCode position createdAt }
  }
`);

export default function BalancesPage() {
  const [atDate, setAtDate] = useState("");
  const registers = useLoad(() => request(Registers), []);
  const list = registers.data?.glRegisters ?? [];
  const [step, setStep] = useState<number | null>(null);
  const chosen = step === null || step >= list.length ? null : list[step];
  const balances = useLoad(
    () => request(Balances, { atDate: atDate || null, asOfPosition: chosen?.position ?? null }),
    [atDate, chosen?.position],
  );
  const lines = balances.data?.trialBalance ?? [];
  const reconciliation = balances.data?.reconciliation ?? [];
  const asOf = chosen ? `&asOfPosition=${chosen.position}` : "";
  const known = chosen ? `as known after register ${chosen.no}` : "now";
  return (
    <Page title="Trial balance and reconciliation">
      <div className="filters">
        <label className="field">
          <span>At date</span>
          <input type="date" value={atDate} onChange={(e) => setAtDate(e.target.value)} />
        </label>
        {list.length > 0 && (
          <label className="field wide">
            <span>
              As known after G/L register{" "}
              <output>{chosen ? `${chosen.no} (${chosen.sourceCode})` : "now (all of them)"}</output>
            </span>
            <input
              type="range"
              min={0}
              max={list.length}
              value={step ?? list.length}
              onChange={(e) => setStep(Number(e.target.value))}
              aria-valuetext={chosen ? `register ${chosen.no}` : "now"}
            />
          </label>
        )}
      </div>
      <Problem error={balances.error ?? registers.error} />
      {balances.data && (
        <>
          <Table
            caption={chosen ? `Trial balance as known after register ${chosen.no}` : "Trial balance"}
            rows={lines}
            rowKey={(l) => l.glAccountNo}
            columns={[
              {
            title: "G/L Account",
            cell: (l) => (
              <Link to={`/entries/gl/glAccountNo=${l.glAccountNo}${asOf}`}>
                {l.glAccountNo}
              </Link>
            ),
          },
              { title: "Name", cell: (l) => l.name },
              { title: "Debit", cell: (l) => l.debit, number: true },
              { title: "Credit", cell: (l) => l.credit, number: true },
              { title: "Balance", cell: (l) => l.balance, number: true },
            ]}
            footer={
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>Total</th>
                  <td className="number">{sum(lines.map((l) => l.debit))}</td>
                  <td className="number">{sum(lines.map((l) => l.credit))}</td>
                  <td className="number">{sum(lines.map((l) => l.balance))}</td>
                </tr>
              </tfoot>
            }
          />
          <Table
            caption={`Reconciliation: inventory value against the G/L, per location and posting group (${known})`}
            rows={reconciliation}
            rowKey={(r) => `${r.locationCode}-${r.invtPostingGroup}`}
            columns={[
              { title: "Location", cell: (r) => r.locationCode || "(blank)" },
              { title: "Inventory Posting Group", cell: (r) => r.invtPostingGroup },
              { title: "Inventory Account", cell: (r) => r.inventoryAccount ?? "" },
              {
                title: "Inventory Value",
                cell: (r) => <Link to={`/entries/value/locationCode=${r.locationCode}${asOf}`}>{r.inventoryValue}</Link>,
                number: true,
              },
              { title: "G/L Balance", cell: (r) => r.glBalance, number: true },
              {
                title: "Not Posted to G/L",
                cell: (r) =>
                  Number(r.notPostedToGL) ? (
                    <Link to={`/entries/value/postedToGL=no&locationCode=${r.locationCode}${asOf}`}>{r.notPostedToGL}</Link>
                  ) : (
                    r.notPostedToGL
                  ),
                number: true,
              },
              {
                title: "Difference",
                cell: (r) => <span className={Number(r.difference) ? "difference" : undefined}>{r.difference}</span>,
                number: true,
              },
            ]}
          />
        </>
      )}
    </Page>
  );
}
