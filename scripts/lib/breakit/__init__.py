# SPDX-License-Identifier: GPL-2.0
"""The break-it lab: scripts/scenarios, scripts/lab-render, scripts/demo."""
