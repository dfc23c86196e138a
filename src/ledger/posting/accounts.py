"""Which accounts a value entry posts to (domain.md section 4)."""
from __future__ import annotations

from enum import Enum
from typing import Any


class AccountType(str, Enum):
    INVENTORY = "INVENTORY"
    INVENTORY_INTERIM = "INVENTORY_INTERIM"
    COGS = "COGS"
    COGS_INTERIM = "COGS_INTERIM"
    INVENTORY_ADJMT = "INVENTORY_ADJMT"
    DIRECT_COST_APPLIED = "DIRECT_COST_APPLIED"
    OVERHEAD_APPLIED = "OVERHEAD_APPLIED"
    PURCHASE_VARIANCE = "PURCHASE_VARIANCE"
    INVT_ACCRUAL_INTERIM = "INVT_ACCRUAL_INTERIM"


ACTUAL, EXPECTED = "actual", "expected"

A = AccountType
BY_VALUE_ENTRY_TYPE = {
    "REVALUATION": (A.INVENTORY, A.INVENTORY_ADJMT),
    "ROUNDING": (A.INVENTORY, A.INVENTORY_ADJMT),
    "INDIRECT_COST": (A.INVENTORY, A.OVERHEAD_APPLIED),
    "VARIANCE": (A.INVENTORY, A.PURCHASE_VARIANCE),
}
DIRECT_COST = {
    ("PURCHASE", ACTUAL): (A.INVENTORY, A.DIRECT_COST_APPLIED),
    ("PURCHASE", EXPECTED): (A.INVENTORY_INTERIM, A.INVT_ACCRUAL_INTERIM),
    ("SALE", ACTUAL): (A.INVENTORY, A.COGS),
    ("SALE", EXPECTED): (A.INVENTORY_INTERIM, A.COGS_INTERIM),
}
ADJUSTMENT_TYPES = ("POSITIVE_ADJMT", "NEGATIVE_ADJMT", "TRANSFER")

# The posting-setup field each account type comes from: (table, field).
INVENTORY_ROW, GENERAL_ROW = "inventory", "general"
SETUP_FIELD = {
    A.INVENTORY: (INVENTORY_ROW, "inventory_account"),
    A.INVENTORY_INTERIM: (INVENTORY_ROW, "inventory_account_interim"),
    A.COGS: (GENERAL_ROW, "cogs_account"),
    A.COGS_INTERIM: (GENERAL_ROW, "cogs_account_interim"),
    A.INVENTORY_ADJMT: (GENERAL_ROW, "inventory_adjmt_account"),
    A.DIRECT_COST_APPLIED: (GENERAL_ROW, "direct_cost_applied_account"),
    A.OVERHEAD_APPLIED: (GENERAL_ROW, "overhead_applied_account"),
    A.PURCHASE_VARIANCE: (GENERAL_ROW, "purchase_variance_account"),
    A.INVT_ACCRUAL_INTERIM: (GENERAL_ROW, "invt_accrual_account_interim"),
}


def account_pair(value_entry: dict[str, Any], part: str) -> tuple[AccountType, AccountType]:
    """(inventory side, balancing side) for the expected or actual part of a value entry."""
    by_type = BY_VALUE_ENTRY_TYPE.get(value_entry["entry_type"])
    if by_type:
        return by_type
    ile_type = value_entry["ile_type"]
    if ile_type in ADJUSTMENT_TYPES:
        return A.INVENTORY, A.INVENTORY_ADJMT
    return DIRECT_COST[(ile_type, part)]
