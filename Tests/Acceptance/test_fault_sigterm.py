"""A graceful stop under load: SIGTERM while submitters run.

The server stops accepting, lets in-flight requests finish, drains the write queue and exits
0; afterwards every acknowledged submission is stored, and every stored submission was
acknowledged: a request the server had begun was answered, not dropped. Shares the load and
the checks of test_fault_kill9.
"""
import signal

from conftest import Server
from test_fault_kill9 import SUBMITTERS, Load, assert_consistent, invite, token_of


def test_sigterm_under_load_answers_in_flight_requests_and_exits_0(tmp_path):
    data_dir = tmp_path / "data"
    assert Server(data_dir).stop() == 0
    tokens = invite(data_dir, 36)
    server = Server(data_dir)
    tokens.append(token_of(server.who5_link))
    load = Load()
    load.add(tokens)
    load.start(server.base_url, SUBMITTERS)
    load.wait_for_acknowledgements(12)
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0, "".join(server.output)
    load.finish()
    stored = assert_consistent(data_dir, set(load.acknowledged), tokens)
    assert set(stored) == load.acknowledged, "a submission was stored but its request was not answered"
    assert set(load.statuses) <= {303}, f"unexpected statuses {sorted(set(load.statuses))}"
