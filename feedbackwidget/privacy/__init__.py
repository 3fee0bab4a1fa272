"""Customers' data rights: what is held about a person, its correction and erasure, retention.

Each area that stores personal data registers a :class:`PersonalData` provider
in :data:`PROVIDER_MODULES` (responses and outbox here; complaints in their own
package).  Erasure anonymises rows instead of deleting them, so that scores,
counts and costs, and with them every aggregate statistic, stay right.
"""

from __future__ import annotations

from .core import PROVIDER_MODULES, Person, PersonalData, correct_person, erase_person, export_person, purge_expired

__all__ = ["PROVIDER_MODULES", "Person", "PersonalData", "correct_person", "erase_person", "export_person", "purge_expired"]
