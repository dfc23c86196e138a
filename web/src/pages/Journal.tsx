// The item journal: journal lines (purchase, sale, adjustments, transfer), invoicing an
// entry, revaluing an entry, and Adjust Cost. Each result shows the entries it made; a
// refused line shows the API's error beside the field it names.
import { useState, type FormEvent, type ReactNode } from "react";
import { request } from "../api";
import { graphql } from "../gql";
import type { ItemLedgerEntryType } from "../gql/graphql";
import { useCanPost } from "../main";
import { Field, Page, Problem, type UserErrorShape } from "../ui";
import { EntriesMade } from "./results";

const PostLine = graphql(`
  mutation PostJournalLine($input: PostItemJournalLineInput!) {
    postItemJournalLine(input: $input) {
      __typename
      ... on PostingResult { ...PostingFields }
      ... on UserError { code message field }
    }
  }
`);

const Invoice = graphql(`
  mutation InvoiceEntry($input: InvoiceItemLedgerEntryInput!) {
    invoiceItemLedgerEntry(input: $input) {
      __typename
      ... on PostingResult { ...PostingFields }
      ... on UserError { code message field }
    }
  }
`);

const Revalue = graphql(`
  mutation RevalueEntry($input: RevalueItemLedgerEntryInput!) {
    revalueItemLedgerEntry(input: $input) {
      __typename
      ... on PostingResult { ...PostingFields }
      ... on UserError { code message field }
    }
  }
`);

const Adjust = graphql(`
  mutation AdjustCost($input: AdjustCostItemEntriesInput!) {
    adjustCostItemEntries(input: $input) {
      __typename
      ... on AdjustCostResult {
        adjustedItemNos
        valueEntries {
          entryNo itemLedgerEntryNo entryType postingDate documentNo locationCode valuedQuantity
          costAmountActual costAmountExpected salesAmountActual adjustment
        }
        glEntries { entryNo glAccountNo postingDate documentNo description amount dimensions { dimensionCode dimensionValueCode } }
      }
      ... on UserError { code message field }
    }
  }
`);

type Made = Parameters<typeof EntriesMade>[0];
type Outcome = { made?: Made; error?: UserErrorShape | string };

const today = new Date().toISOString().slice(0, 10);
const blank = (value: string) => (value.trim() === "" ? null : value.trim());

function useForm(initial: Record<string, string>) {
  const [values, setValues] = useState(initial);
  const bind = (name: string) => ({
    name,
    value: values[name] ?? "",
    onChange: (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value }),
  });
  return { values, bind };
}

/** A form of the journal: `children` draws its fields, given the API's last error. */
function Section(props: {
  title: string;
  action: string;
  fields: string[];
  onSubmit: () => Promise<Outcome>;
  children: (error: UserErrorShape | null) => ReactNode;
}) {
  const [outcome, setOutcome] = useState<Outcome>({});
  const [busy, setBusy] = useState(false);
  const canPost = useCanPost();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      setOutcome(await props.onSubmit());
    } catch (failure) {
      setOutcome({ error: (failure as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const error = typeof outcome.error === "string" ? null : outcome.error ?? null;
  return (
    <form className="journal" onSubmit={submit} aria-label={props.title}>
      <h2>{props.title}</h2>
      <div className="inputs">{props.children(error)}</div>
      {canPost && (
        <div className="actions">
          <button type="submit" disabled={busy}>
            {props.action}
          </button>
        </div>
      )}
      <Problem error={outcome.error} fields={props.fields} />
      {outcome.made && <EntriesMade {...outcome.made} />}
    </form>
  );
}

function made(result: { __typename: string } & Record<string, unknown>): Outcome {
  if (result.__typename === "UserError") return { error: result as unknown as UserErrorShape };
  const r = result as unknown as { itemLedgerEntries?: Made["ile"]; valueEntries: Made["ve"]; glEntries: Made["gl"] };
  return { made: { ile: r.itemLedgerEntries, ve: r.valueEntries, gl: r.glEntries } };
}

/** "DEPARTMENT=SALES, PROJECT=P1" as the API's dimension inputs. */
function dimensionsOf(text: string) {
  return text
    .split(",")
    .map((pair) => pair.split("=").map((part) => part.trim()))
    .filter(([code]) => code)
    .map(([dimensionCode, dimensionValueCode = ""]) => ({ dimensionCode, dimensionValueCode }));
}

const LINE_FIELDS = ["entryType", "postingDate", "documentNo", "itemNo", "locationCode", "quantity",
  "newLocationCode", "unitCost", "unitPrice", "invoice", "genBusPostingGroup", "appliesToEntry", "dimensions"];

function JournalLine() {
  const { values, bind } = useForm({ entryType: "PURCHASE", postingDate: today, genBusPostingGroup: "DOMESTIC", invoice: "yes" });
  const transfer = values.entryType === "TRANSFER";
  const submit = async () => {
    const input = {
      entryType: values.entryType as ItemLedgerEntryType,
      postingDate: values.postingDate,
      documentNo: values.documentNo ?? "",
      itemNo: values.itemNo ?? "",
      locationCode: values.locationCode ?? "",
      quantity: values.quantity ?? "",
      newLocationCode: transfer ? blank(values.newLocationCode ?? "") ?? "" : null,
      unitCost: blank(values.unitCost ?? ""),
      unitPrice: blank(values.unitPrice ?? ""),
      invoice: values.invoice === "yes",
      genBusPostingGroup: values.genBusPostingGroup ?? "",
      appliesToEntry: blank(values.appliesToEntry ?? "") === null ? null : Number(values.appliesToEntry),
      dimensions: dimensionsOf(values.dimensions ?? ""),
    };
    return made((await request(PostLine, { input })).postItemJournalLine);
  };
  return (
    <Section title="Journal line" action="Post line" onSubmit={submit} fields={LINE_FIELDS}>
      {(error) => (
        <>
        <Field label="Entry Type" name="entryType" error={error}>
          <select {...bind("entryType")}>
            {["PURCHASE", "SALE", "POSITIVE_ADJMT", "NEGATIVE_ADJMT", "TRANSFER"].map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
        </Field>
        <Field label="Posting Date" name="postingDate" error={error}><input type="date" {...bind("postingDate")} /></Field>
        <Field label="Document No." name="documentNo" error={error}><input {...bind("documentNo")} /></Field>
        <Field label="Item No." name="itemNo" error={error}><input {...bind("itemNo")} /></Field>
        <Field label="Location Code" name="locationCode" error={error}><input {...bind("locationCode")} /></Field>
        {transfer && (
          <Field label="New Location Code" name="newLocationCode" error={error}><input {...bind("newLocationCode")} /></Field>
        )}
        <Field label="Quantity" name="quantity" error={error}><input inputMode="decimal" {...bind("quantity")} /></Field>
        <Field label="Unit Cost" name="unitCost" error={error}><input inputMode="decimal" {...bind("unitCost")} /></Field>
        <Field label="Unit Price" name="unitPrice" error={error}><input inputMode="decimal" {...bind("unitPrice")} /></Field>
        <Field label="Invoice" name="invoice" error={error}>
          <select {...bind("invoice")}><option value="yes">Yes</option><option value="no">No (receipt or shipment only)</option></select>
        </Field>
        <Field label="Gen. Bus. Posting Group" name="genBusPostingGroup" error={error}><input {...bind("genBusPostingGroup")} /></Field>
        <Field label="Applies-to Entry" name="appliesToEntry" error={error}><input inputMode="numeric" {...bind("appliesToEntry")} /></Field>
        <Field label="Dimensions (CODE=VALUE, ...)" name="dimensions" error={error}><input {...bind("dimensions")} /></Field>
        </>
      )}
    </Section>
  );
}

const ENTRY_FIELDS = ["itemLedgerEntryNo", "postingDate", "documentNo", "quantity", "unitCost", "unitPrice", "newUnitCost"];

function InvoiceEntry() {
  const { values, bind } = useForm({ postingDate: today });
  const submit = async () => {
    const input = {
      itemLedgerEntryNo: Number(values.itemLedgerEntryNo ?? 0),
      postingDate: values.postingDate,
      documentNo: values.documentNo ?? "",
      quantity: values.quantity ?? "",
      unitCost: blank(values.unitCost ?? ""),
      unitPrice: blank(values.unitPrice ?? ""),
    };
    return made((await request(Invoice, { input })).invoiceItemLedgerEntry);
  };
  return (
    <Section title="Invoice an entry" action="Invoice" onSubmit={submit} fields={ENTRY_FIELDS}>
      {(error) => (
        <>
        <Field label="Item Ledger Entry No." name="itemLedgerEntryNo" error={error}><input inputMode="numeric" {...bind("itemLedgerEntryNo")} /></Field>
        <Field label="Posting Date" name="postingDate" error={error}><input type="date" {...bind("postingDate")} /></Field>
        <Field label="Document No." name="documentNo" error={error}><input {...bind("documentNo")} /></Field>
        <Field label="Quantity" name="quantity" error={error}><input inputMode="decimal" {...bind("quantity")} /></Field>
        <Field label="Unit Cost" name="unitCost" error={error}><input inputMode="decimal" {...bind("unitCost")} /></Field>
        <Field label="Unit Price" name="unitPrice" error={error}><input inputMode="decimal" {...bind("unitPrice")} /></Field>
        </>
      )}
    </Section>
  );
}

function RevalueEntry() {
  const { values, bind } = useForm({ postingDate: today });
  const submit = async () => {
    const input = {
      itemLedgerEntryNo: Number(values.itemLedgerEntryNo ?? 0),
      postingDate: values.postingDate,
      documentNo: values.documentNo ?? "",
      newUnitCost: values.newUnitCost ?? "",
    };
    return made((await request(Revalue, { input })).revalueItemLedgerEntry);
  };
  return (
    <Section title="Revalue an entry" action="Revalue" onSubmit={submit} fields={ENTRY_FIELDS}>
      {(error) => (
        <>
        <Field label="Item Ledger Entry No." name="itemLedgerEntryNo" error={error}><input inputMode="numeric" {...bind("itemLedgerEntryNo")} /></Field>
        <Field label="Posting Date" name="postingDate" error={error}><input type="date" {...bind("postingDate")} /></Field>
        <Field label="Document No." name="documentNo" error={error}><input {...bind("documentNo")} /></Field>
        <Field label="New Unit Cost" name="newUnitCost" error={error}><input inputMode="decimal" {...bind("newUnitCost")} /></Field>
        </>
      )}
    </Section>
  );
}

function AdjustCost() {
  const { values, bind } = useForm({});
  const submit = async () => {
    const itemNos = values.itemNos?.trim() ? values.itemNos.split(/[\s,]+/).filter(Boolean) : null;
    const result = (await request(Adjust, { input: { itemNos } })).adjustCostItemEntries;
    if (result.__typename === "UserError") return { error: result };
    return { made: { ve: result.valueEntries, gl: result.glEntries } };
  };
  return (
    <Section title="Adjust Cost - Item Entries" action="Adjust cost" onSubmit={submit} fields={["itemNos"]}>
      {(error) => (
        <>
        <Field label="Item No. filter" name="itemNos" error={error}><input placeholder="every item that needs it" {...bind("itemNos")} /></Field>
        </>
      )}
    </Section>
  );
}

export default function Journal() {
  return (
    <Page title="Item journal">
      <JournalLine />
      <InvoiceEntry />
      <RevalueEntry />
      <AdjustCost />
    </Page>
  );
}
