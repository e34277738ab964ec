"""Shared configuration of the cross-package tests in ``integration-tests/``."""
