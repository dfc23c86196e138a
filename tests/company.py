"""The common setup of the tests, in Python: the chart of accounts, locations, dimensions,
posting setup and items of the worked scenarios' _base.json."""
from __future__ import annotations

from decimal import Decimal

from ledger.application import LedgerService
from ledger.costing.journal import JournalLine

ACCOUNTS = [("2130", "Inventory, Retail", "ASSETS", "BALANCE_SHEET"),
            ("2131", "Inventory (Interim), Retail", "ASSETS", "BALANCE_SHEET"),
            ("2140", "Inventory, Red Warehouse", "ASSETS", "BALANCE_SHEET"),
            ("2141", "Inventory (Interim), Red Warehouse", "ASSETS", "BALANCE_SHEET"),
            ("5530", "Invt. Accrual (Interim)", "LIABILITIES", "BALANCE_SHEET"),
            ("7190", "Direct Cost Applied, Retail", "EXPENSE", "INCOME_STATEMENT"),
            ("7195", "Overhead Applied, Retail", "EXPENSE", "INCOME_STATEMENT"),
            ("7196", "Purchase Variance, Retail", "EXPENSE", "INCOME_STATEMENT"),
            ("7270", "Inventory Adjustment, Retail", "EXPENSE", "INCOME_STATEMENT"),
            ("7290", "Cost of Goods Sold, Retail", "EXPENSE", "INCOME_STATEMENT"),
            ("7291", "COGS (Interim), Retail", "EXPENSE", "INCOME_STATEMENT")]
GENERAL = {"cogs_account": "7290", "cogs_account_interim": "7291",
           "inventory_adjmt_account": "7270", "direct_cost_applied_account": "7190",
           "overhead_applied_account": "7195", "purchase_variance_account": "7196",
           "invt_accrual_account_interim": "5530"}
ITEMS = [("1000", "FIFO"), ("1100", "AVERAGE"), ("1200", "LIFO"), ("1300", "STANDARD"),
         ("1400", "SPECIFIC")]


def base_company(service: LedgerService, automatic: bool = True) -> None:
    setup = service.setup
    for no, name, category, income_balance in ACCOUNTS:
        setup.create_gl_account(no, name, category, income_balance, False)
    setup.create_location("BLUE", "Blue Warehouse")
    setup.create_location("RED", "Red Warehouse")
    setup.create_dimension("DEPARTMENT", "Department", ["ADM", "SALES", "PROD"])
    setup.create_dimension("PROJECT", "Project", ["P1", "P2"])
    for bus in ("", "DOMESTIC"):
        setup.set_general_posting_setup({"gen_bus_posting_group": bus,
                                         "gen_prod_posting_group": "RETAIL", **GENERAL})
    for location, inventory in (("BLUE", "2130"), ("RED", "2140")):
        setup.set_inventory_posting_setup({"location_code": location, "invt_posting_group": "RESALE",
                                           "inventory_account": inventory,
                                           "inventory_account_interim": str(int(inventory) + 1)})
    for no, method in ITEMS:
        standard = Decimal("15.00") if method == "STANDARD" else None
        setup.create_item(no, None, method, "RESALE", "RETAIL",
                          standard or Decimal("10.00"), standard)
    setup.update_inventory_setup({"automatic_cost_posting": automatic})


def line(entry_type: str, posting_date: str, quantity: str, item_no: str = "1000", **more: object
         ) -> JournalLine:
    """A journal line at BLUE for DOMESTIC, as most tests post them."""
    values = {"document_no": f"{entry_type[:2]}-{posting_date}", "location_code": "BLUE",
              "gen_bus_posting_group": "DOMESTIC", **more}
    for key in ("unit_cost", "unit_price"):
        if isinstance(values.get(key), str):
            values[key] = Decimal(values[key])
    return JournalLine(entry_type=entry_type, posting_date=posting_date, item_no=item_no,
                       quantity=Decimal(quantity), **values)
