"""Strict turn-taking with a sepbench process through two FIFOs, as `sepbench run` does
between the builds of `sepbench ab` (Sources/Harness/ABBlocks/TurnTaking.swift).

The channel is `ROLE,TO_SECOND,TO_FIRST`: the FIFO the first process writes and the second
reads, then the other. Both processes open TO_SECOND before TO_FIRST, so the blocking opens
meet in the same order. A turn is two bytes: (1, case index) after a timed sample, (2, case
index) at the end of a suite case; a process that has finished a case keeps handing the turn
back until the other has finished it too. The second process waits for the first turn before
it starts. When the other process exits its FIFO ends close, a read returns end of file, and
the survivor goes on alone.
"""

import errno
import os

SAMPLE = 1
CASE_DONE = 2


class TurnTaking:
    def __init__(self, argument):
        parts = argument.split(",")
        if len(parts) != 3 or parts[0] not in ("first", "second") or not parts[1] or not parts[2]:
            raise ValueError(
                f"--turn-fifos '{argument}' is not allowed; use ROLE,TO_SECOND,TO_FIRST with ROLE first or second")
        role, to_second, to_first = parts
        first = role == "first"
        self.alone = False
        self.turns_passed = 0
        # Index of the suite case this process is in (modulo 256 on the wire).
        self.current_case = 0
        second_end = os.open(to_second, os.O_WRONLY if first else os.O_RDONLY)
        first_end = os.open(to_first, os.O_RDONLY if first else os.O_WRONLY)
        self.read_end, self.write_end = (first_end, second_end) if first else (second_end, first_end)
        if not first:
            self._receive()

    def pass_turn(self):
        """Hands the turn over after a timed sample and waits until it comes back. Returns what
        the other process did in its turn, (SAMPLE or CASE_DONE, its case index), or None once
        it has gone."""
        if self._send(SAMPLE):
            return self._receive()
        return None

    def other_finished_case(self, reply):
        """Whether `reply` (from pass_turn) says the other process is done with this case: it
        finished it, or is already in a later one."""
        return reply is None or reply[0] == CASE_DONE or reply[1] != self.current_case % 256

    def finish_case(self):
        """Marks the end of the current suite case and returns once the other process has
        finished it too, or has gone (sepbench's TurnTaking.finishCase)."""
        try:
            while self._send(CASE_DONE):
                reply = self._receive()
                if self.other_finished_case(reply):
                    return
        finally:
            self.current_case += 1

    def leave(self):
        """Closes both ends, so that the other process goes on alone."""
        for end in (self.read_end, self.write_end):
            if end >= 0:
                os.close(end)
        self.read_end = self.write_end = -1
        self.alone = True

    def _send(self, message):
        if self.alone:
            return False
        try:
            os.write(self.write_end, bytes([message, self.current_case % 256]))
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise
            self.alone = True
            return False
        self.turns_passed += 1
        return True

    def _receive(self):
        got = b""
        while len(got) < 2 and not self.alone:
            chunk = os.read(self.read_end, 2 - len(got))
            if not chunk:
                self.alone = True
            got += chunk
        if len(got) != 2 or got[0] not in (SAMPLE, CASE_DONE):
            self.alone = True
            return None
        return got[0], got[1]
