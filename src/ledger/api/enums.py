"""The contract's enums; domain values are their names."""
from __future__ import annotations

from enum import Enum

import strawberry

from ledger.errors import ErrorCode as DomainErrorCode
from ledger.posting.accounts import AccountType

ErrorCode = strawberry.enum(DomainErrorCode, name="ErrorCode")
InventoryAccountType = strawberry.enum(AccountType, name="InventoryAccountType")


@strawberry.enum
class AccountCategory(Enum):
    ASSETS = "ASSETS"
    LIABILITIES = "LIABILITIES"
    EQUITY = "EQUITY"
    INCOME = "INCOME"
    EXPENSE = "EXPENSE"


@strawberry.enum
class IncomeBalance(Enum):
    BALANCE_SHEET = "BALANCE_SHEET"
    INCOME_STATEMENT = "INCOME_STATEMENT"


@strawberry.enum
class CostingMethod(Enum):
    FIFO = "FIFO"
    LIFO = "LIFO"
    AVERAGE = "AVERAGE"
    STANDARD = "STANDARD"
    SPECIFIC = "SPECIFIC"


@strawberry.enum
class AutomaticCostAdjustment(Enum):
    NEVER = "NEVER"
    ALWAYS = "ALWAYS"


@strawberry.enum
class DefaultDimensionTable(Enum):
    GL_ACCOUNT = "GL_ACCOUNT"
    ITEM = "ITEM"


@strawberry.enum
class ValuePosting(Enum):
    NONE = "NONE"
    CODE_MANDATORY = "CODE_MANDATORY"
    SAME_CODE = "SAME_CODE"
    NO_CODE = "NO_CODE"


@strawberry.enum
class ItemLedgerEntryType(Enum):
    PURCHASE = "PURCHASE"
    SALE = "SALE"
    POSITIVE_ADJMT = "POSITIVE_ADJMT"
    NEGATIVE_ADJMT = "NEGATIVE_ADJMT"
    TRANSFER = "TRANSFER"


@strawberry.enum
class ValueEntryType(Enum):
    DIRECT_COST = "DIRECT_COST"
    REVALUATION = "REVALUATION"
    ROUNDING = "ROUNDING"
    INDIRECT_COST = "INDIRECT_COST"
    VARIANCE = "VARIANCE"


@strawberry.enum
class PostMethod(Enum):
    PER_ENTRY = "PER_ENTRY"
    PER_POSTING_GROUP = "PER_POSTING_GROUP"
