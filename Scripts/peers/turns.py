"""Strict turn-taking with a sepbench process through two FIFOs, as `sepbench run` does
between the builds of `sepbench ab` (Sources/Harness/ABBlocks/TurnTaking.swift).

The channel is `ROLE,TO_SECOND,TO_FIRST`: the FIFO the first process writes and the second
reads, then the other. Both processes open TO_SECOND before TO_FIRST, so the blocking opens
meet in the same order. A turn is two bytes, (1, case index) after a timed sample; the second
process waits for the first turn before it starts. When the other process exits its FIFO ends
close, a read returns end of file, and the survivor goes on alone.
"""

import errno
import os

SAMPLE = 1


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
        second_end = os.open(to_second, os.O_WRONLY if first else os.O_RDONLY)
        first_end = os.open(to_first, os.O_RDONLY if first else os.O_WRONLY)
        self.read_end, self.write_end = (first_end, second_end) if first else (second_end, first_end)
        if not first:
            self._receive()

    def pass_turn(self):
        """Hands the turn over after a timed sample and waits until it comes back."""
        if self._send():
            self._receive()

    def leave(self):
        """Closes both ends, so that the other process goes on alone."""
        for end in (self.read_end, self.write_end):
            if end >= 0:
                os.close(end)
        self.read_end = self.write_end = -1
        self.alone = True

    def _send(self):
        if self.alone:
            return False
        try:
            os.write(self.write_end, bytes([SAMPLE, 0]))
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
        return got if len(got) == 2 else None
