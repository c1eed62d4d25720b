"""What a token may see (数据范围): the whole deployment, one district, a list of towns, or one
department — and the one filter every answer of a scoped token goes through.

A route declares how its rows are attributed (`Attribution`, in its `allow(...)`); a route
that declares none is refused to scoped tokens (403), so a new route leaks nothing by
default. For a town scope (a district is the towns registered under it, `town_organisations`)
a row is in scope when a town field of the route names one of its towns; for a department
scope, when a department field names the department (a list field, or a comma-separated
text, when any of its codes does). A row that names none of the route's fields is out of
scope. A path parameter that names the one thing answered (`/towns/{town}/…`,
`/quotas/{unit}`) is checked before the handler runs: outside the scope it is 404, as if
unknown. Figures of the whole deployment (`whole`) are left out (null) for scoped tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException

ALL, DISTRICT, TOWN, DEPARTMENT = "all", "district", "town", "department"


class Paged(dict[str, Any]):
    """A page (`paging.page`) that still knows every row it was cut from, so that a scoped
    answer is cut again from the rows in scope (its `total` and `next` are theirs)."""

    rows: list[Any]
    limit: int
    offset: int


@dataclass(frozen=True)
class Scope:
    """A token's scope as stored (`all`, `district:JB`, `town:A,town:B`, `department:JB-HUD`),
    with the towns of a district resolved when the token is looked up (`towns`)."""

    kind: str = ALL
    codes: tuple[str, ...] = ()
    towns: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: str) -> Scope:
        """A scope as `token issue --scope` takes it; ValueError naming what is allowed."""
        parts = [p.strip() for p in (text or ALL).split(",") if p.strip()]
        if parts == [ALL]:
            return cls()
        kinds, codes = set(), []
        for part in parts:
            kind, colon, code = part.partition(":")
            if not colon or not code.strip() or kind not in (DISTRICT, TOWN, DEPARTMENT):
                raise ValueError(
                    f"scope {text!r}: one of all, district:<district>, town:<town>[,town:<town>…],"
                    " department:<code>"
                )
            kinds.add(kind)
            codes.append(code.strip())
        if len(kinds) > 1 or (kinds != {TOWN} and len(codes) > 1):
            raise ValueError(f"scope {text!r}: a list is of towns only; a district or department is one")
        kind = kinds.pop()
        return cls(kind, tuple(sorted(set(codes))), frozenset(codes) if kind == TOWN else frozenset())

    @property
    def text(self) -> str:
        return ALL if self.kind == ALL else ",".join(f"{self.kind}:{code}" for code in self.codes)

    @property
    def whole(self) -> bool:
        return self.kind == ALL

    @property
    def by_town(self) -> bool:
        return self.kind in (TOWN, DISTRICT)

    def resolved(self, cur: Any) -> Scope:
        """The scope with a district's towns read from the registered organisations."""
        if self.kind != DISTRICT:
            return self
        cur.execute("SELECT code FROM town_organisations WHERE district = ANY(%s)", (list(self.codes),))
        return Scope(self.kind, self.codes, frozenset(row["code"] for row in cur.fetchall()))

    def names(self, code: Any) -> bool:
        """Whether `code` (a town or a department, as the scope's kind) is inside the scope."""
        return code in self.towns if self.by_town else code in self.codes


@dataclass(frozen=True)
class Attribution:
    """How a route's answer is attributed: `towns` and `departments` are the row fields naming
    a town or a department; `town_path` / `department_path` the path parameter naming the one
    town or department answered (then the whole answer is that one's); `whole` the parts of
    the answer that are figures of the whole deployment."""

    towns: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    town_path: str | None = None
    department_path: str | None = None
    whole: tuple[str, ...] = ()
    single: bool = False  # one thing, which the handler checks (`admitted`): left whole

    def path(self, scope: Scope) -> str | None:
        return self.town_path if scope.by_town else self.department_path

    def fields(self, scope: Scope) -> tuple[str, ...]:
        return self.towns if scope.by_town else self.departments

    def serves(self, scope: Scope) -> bool:
        return scope.whole or bool(self.path(scope) or self.fields(scope))


WHOLE = Scope()  # the whole deployment


def codes_of(value: Any) -> Iterable[Any]:
    if isinstance(value, str):
        return [code.strip() for code in value.split(",")]
    if isinstance(value, list | tuple):
        return value
    return [value]


def admits(scope: Scope, fields: Iterable[str], row: Any) -> bool:
    """Whether the row names the scope in one of `fields`."""
    if scope.whole:
        return True
    if not isinstance(row, Mapping):
        return False
    return any(scope.names(code) for name in fields if name in row for code in codes_of(row[name]))


def check(scope: Scope, attribution: Attribution | None, path_params: Mapping[str, Any]) -> None:
    """Before the handler: a route not attributed for the scope is refused (403); a path
    parameter naming something outside the scope is answered 404."""
    if scope.whole:
        return
    if attribution is None or not attribution.serves(scope):
        raise PermissionDeniedException(
            f"a token scoped to {scope.text} may not read this: its answers are not attributed"
            f" to {'towns' if scope.by_town else 'departments'}; it needs a token scoped to all"
        )
    name = attribution.path(scope)
    if name and not scope.names(path_params.get(name)):
        raise NotFoundException(f"no {name} {path_params.get(name)!r} is known")


def narrow(scope: Scope, attribution: Attribution | None, found: Any) -> Any:
    """`found` as the scope sees it: every list of rows keeps its rows in scope (a page is
    cut again from them), and the figures of the whole deployment are null. An answer whose
    path named the one thing answered is that thing's, and is left whole."""
    if scope.whole:
        return found
    if attribution is None or not attribution.serves(scope):  # `check` refused it already
        raise PermissionDeniedException(f"a token scoped to {scope.text} may not read this")
    if attribution.path(scope) or attribution.single:
        return _blank(found, attribution.whole)
    return _narrowed(scope, attribution.fields(scope), _blank(found, attribution.whole))


def _blank(found: Any, whole: tuple[str, ...]) -> Any:
    if not whole or not isinstance(found, Mapping):
        return found
    return {key: None if key in whole else value for key, value in found.items()}


def _narrowed(scope: Scope, fields: tuple[str, ...], found: Any) -> Any:
    if isinstance(found, Paged):
        return page_of([row for row in found.rows if admits(scope, fields, row)], found.limit, found.offset)
    if isinstance(found, list):
        return [row for row in found if admits(scope, fields, row)]
    if isinstance(found, Mapping):
        narrowed = {key: _narrowed(scope, fields, value) for key, value in found.items()}
        if PAGE <= set(found) and len(narrowed["items"]) != len(found["items"]):
            # a page not made by `paging.page` (or copied from one): its total and next would
            # count rows outside the scope, so it is never answered
            raise RuntimeError("a page cut before its rows were narrowed to the scope")
        return narrowed
    return found


PAGE = {"items", "total", "limit", "offset", "next"}


def page_of(rows: list[Any], limit: int, offset: int) -> Paged:
    items = rows[offset : offset + limit]
    after = offset + len(items)
    found = Paged(
        items=items, total=len(rows), limit=limit, offset=offset, next=after if after < len(rows) else None
    )
    found.rows, found.limit, found.offset = rows, limit, offset
    return found


def of(request: Any) -> Scope:
    """The scope of the request's token (the whole deployment for a public route)."""
    principal = getattr(request.state, "principal", None)
    return principal.scope if principal is not None else WHOLE


def scoped(request: Any, found: Any) -> Any:
    """`found` narrowed to the scope of the request's token, by the route's `Attribution`."""
    scope = of(request)
    return found if scope.whole else narrow(scope, request.route_handler.opt.get("scope"), found)


def admitted(request: Any, row: Any) -> bool:
    """Whether one thing (a row) is inside the scope of the request's token, by the route's
    fields; a handler answering one thing answers 404 when it is not."""
    scope = of(request)
    attribution = request.route_handler.opt.get("scope")
    return scope.whole or (attribution is not None and admits(scope, attribution.fields(scope), row))


def rows_in(request: Any, rows: list[Any]) -> list[Any]:
    """The rows inside the scope of the request's token, by the route's fields."""
    return [row for row in rows if admitted(request, row)]
