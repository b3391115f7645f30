"""The document catalogue (``data/catalogue.yaml``), validated with frozen pydantic models.

Plain Python, no Django: usable from a script, a benchmark or a test without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

CodeSource = Literal["published", "national_2016", "project"]
Subject = Literal["inspection", "case", "document", "case_file"]
PartyKind = Literal["unit", "individual", "any"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RequiredField(_Frozen):
    path: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
    label: str


class DocumentType(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    title_zh: str
    code: str | None
    code_source: CodeSource
    step: str
    subject: Subject
    party: PartyKind = "any"
    file_order: int
    remedies: bool = False
    required: tuple[RequiredField, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @property
    def is_numbered(self) -> bool:
        return self.code is not None

    def label_for(self, path: str) -> str:
        for field in self.required:
            if field.path == path:
                return field.label
        return path


class Catalogue(_Frozen):
    schema_version: Literal[1]
    catalogue_version: str
    number_prefix: str
    number_format: str
    format_basis: str
    valid_from: dt.date
    steps: dict[str, str]
    types: tuple[DocumentType, ...]

    @model_validator(mode="after")
    def _check(self) -> Catalogue:
        ids = [t.id for t in self.types]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate document types: {duplicates}")
        for document_type in self.types:
            if document_type.step not in self.steps:
                raise ValueError(f"{document_type.id}: unknown step {document_type.step!r}")
        return self

    def type(self, type_id: str) -> DocumentType:
        for document_type in self.types:
            if document_type.id == type_id:
                return document_type
        raise KeyError(type_id)

    def by_id(self) -> Mapping[str, DocumentType]:
        return {t.id: t for t in self.types}

    def valid_from_of(self, document_type: DocumentType) -> dt.date:
        return document_type.valid_from or self.valid_from

    def in_force(self, document_type: DocumentType, on: dt.date) -> bool:
        start = self.valid_from_of(document_type)
        return start <= on and (document_type.valid_to is None or on <= document_type.valid_to)

    def format_number(self, *, short_name: str, code: str, year: int, sequence: int) -> str:
        return self.number_format.format(
            short_name=short_name,
            prefix=self.number_prefix,
            code=code,
            year=year,
            sequence=sequence,
        )


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    if path is None:
        text = (
            resources.files("anjian.documents").joinpath("data/catalogue.yaml").read_text("utf-8")
        )
    else:
        text = Path(path).read_text("utf-8")
    data: Any = yaml.safe_load(text)
    return Catalogue.model_validate(data)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The packaged catalogue, loaded once."""
    return load_catalogue()


def document_type(type_id: str) -> DocumentType:
    return catalogue().type(type_id)
