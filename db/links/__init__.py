"""Cited-source health (issue 9): is every cited URL still there, and where is its archived copy?

* :mod:`db.links.schema`   the ``link_checks`` / ``link_archives`` tables and ``source_health`` view
* :mod:`db.links.targets`  which URLs a database cites (deduplicated through ``sources``)
* :mod:`db.links.fetch`    the polite async HTTP checker (httpx): per-host limits, retries
* :mod:`db.links.addresses` public addresses only (loopback / private refused, after DNS)
* :mod:`db.links.verdict`  verdict rules and soft-404 detection
* :mod:`db.links.archive`  archive links printed in notes; the Wayback availability API
* :mod:`db.links.run`      one ``check-links`` run: targets -> checks -> lookups -> rows

The ``citetrace check-links`` command is in plugins/cli/links.py.

Nothing here runs at ingest or serve time: no request leaves the machine unless
``check-links`` is run.
"""
