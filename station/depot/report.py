"""The depot's report: per day (UTC), station and operator, what the benches did, and the banned apps
they found by rule, counted on the depot's server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import psycopg

from station.audit.records import RecordKind

# A checklist is a return's when its run recorded a return intake for the same phone; else a provisioning.
_ACTIVITY = f"""
SELECT substr(r.time, 1, 10) AS day, s.name, coalesce(r.operator, '') AS operator,
    count(*) FILTER (WHERE r.kind = '{RecordKind.CHECKLIST}' AND NOT EXISTS (
        SELECT 1 FROM records i WHERE i.station_id = r.station_id AND i.run_id = r.run_id
        AND i.serial = r.serial AND i.kind = '{RecordKind.RETURN_INTAKE}')),
    count(*) FILTER (WHERE r.kind = '{RecordKind.RETURN_INTAKE}'),
    count(*) FILTER (WHERE r.kind = '{RecordKind.SIGN_OFF}'),
    count(*) FILTER (WHERE r.kind = '{RecordKind.CHECKLIST}' AND r.data::jsonb -> 'ready' = 'false'::jsonb),
    count(*) FILTER (WHERE r.kind = '{RecordKind.SIGN_OFF}' AND jsonb_typeof(r.data::jsonb -> 'override') = 'object'),
    count(*) FILTER (WHERE r.kind = '{RecordKind.RETIRED}')
FROM records r JOIN stations s USING (station_id)
WHERE r.time >= %(since)s
    AND r.kind IN ('{RecordKind.CHECKLIST}', '{RecordKind.RETURN_INTAKE}', '{RecordKind.SIGN_OFF}', '{RecordKind.RETIRED}')
GROUP BY 1, 2, 3
"""

# A banned app counts once per phone a day, however often it was scanned.
_FOUND = f"""
SELECT substr(r.time, 1, 10), s.name, coalesce(r.operator, ''), f ->> 'rule',
    count(DISTINCT r.serial || '/' || (f ->> 'app_id'))
FROM records r JOIN stations s USING (station_id),
    jsonb_array_elements(CASE WHEN jsonb_typeof(r.data::jsonb -> 'findings') = 'array'
                              THEN r.data::jsonb -> 'findings' ELSE '[]'::jsonb END) f
WHERE r.time >= %(since)s AND r.kind IN ('{RecordKind.SCAN}', '{RecordKind.INTAKE}')
GROUP BY 1, 2, 3, 4
"""


@dataclass
class ReportRow:
    day: str
    station: str
    operator: str
    provisioned: int = 0
    returned: int = 0
    signed_off: int = 0  # overrides included
    not_ready: int = 0
    overridden: int = 0
    retired: int = 0
    found: dict[str, int] = field(default_factory=dict)  # banned apps found, by policy rule


def depot_report(conn: psycopg.Connection[tuple[object, ...]], since: dt.date) -> list[ReportRow]:
    rows: dict[tuple[str, str, str], ReportRow] = {}
    start = {"since": since.isoformat()}
    for day, station, operator, *counts in conn.execute(_ACTIVITY.encode(), start).fetchall():
        key = (str(day), str(station), str(operator))
        provisioned, returned, signed_off, not_ready, overridden, retired = (int(str(count)) for count in counts)
        rows[key] = ReportRow(*key, provisioned, returned, signed_off, not_ready, overridden, retired)
    for day, station, operator, rule, count in conn.execute(_FOUND.encode(), start).fetchall():
        key = (str(day), str(station), str(operator))
        rows.setdefault(key, ReportRow(*key)).found[str(rule)] = int(str(count))
    return [rows[key] for key in sorted(rows)]
