"""Commands of the burden-reduction registry (减负; topic `govledger.commands.duties`).

A district takes its baseline (减负基线) on the day of `effective_at`, naming its towns; its
departments then impose items on those towns — indicators (考核指标), inspections (督查检查),
meetings (会议) and forms (报表) — each named by its department and its code. An item whose
`effective_at` falls before the baseline's day is an existing one (存量); on or after it, the
item needs the district's approval (`burden.approve`, 一事一报) first. Partition key: the
department (the baseline: its district), so every command about one item keeps its order.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload

# 考核指标 / 督查检查 / 会议 / 报表
BurdenKind = Literal["indicator", "inspection", "meeting", "form"]
Towns = Annotated[list[Code], msgspec.Meta(max_length=5000)]


class Baseline(Payload):
    """The district and every one of its towns; the envelope carries the decision's `document_no`."""

    district: Code
    towns: Annotated[list[Code], msgspec.Meta(min_length=1, max_length=5000)]


class BurdenRef(Payload):
    """An item: the department that imposes it and the item's code in its registry."""

    department: Code
    code: Code


class BurdenTerms(BurdenRef):
    """What is imposed, on which of the district's towns (none listed: every one of them)."""

    district: Code
    kind: BurdenKind
    name: Name
    basis: Name
    towns: Towns = []


class BurdenApproval(BurdenTerms, kw_only=True):
    """一事一报: the district's approval of one item; the envelope carries its `document_no`."""

    approved_by: Name


class TakeBurdenBaseline(Envelope, tag="burden.take_baseline"):
    """A district takes its burden-reduction baseline (减负基线) on the day of `effective_at`,
    naming its towns, under its decision's `document_no`: items imposed before that day are
    existing ones (存量); from it on, each new item needs the district's approval. Taken once."""

    payload: Baseline


class ApproveBurdenItem(Envelope, tag="burden.approve"):
    """The district approves one new item a department is to impose on towns (一事一报, "由区委
    区政府统筹安排"), from the day of `effective_at`, under its `document_no`."""

    payload: BurdenApproval


class ImposeBurdenItem(Envelope, tag="burden.impose"):
    """A department lays an item on towns (摊派: 考核指标, 督查检查, 会议, 报表). On or after the
    baseline's day (减负基线), refused unless the district approved it (一事一报): the refusal
    (擅自摊派) is recorded and published as `burden.imposition_refused`, not only dead-lettered."""

    payload: BurdenTerms


class ClearBurdenItem(Envelope, tag="burden.clear"):
    """An item is cleared (清理, e.g. an unreasonable indicator removed from a department's
    appraisal list of streets): from the day of `effective_at` it no longer falls on the towns.
    The `reason` is required."""

    payload: BurdenRef


BurdenCommand = Union[TakeBurdenBaseline, ApproveBurdenItem, ImposeBurdenItem, ClearBurdenItem]
