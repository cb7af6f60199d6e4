package io.tinykv.raft.storage.segment;

/**
 * What reading a segment record by record found.
 *
 * @param offset where the scan stopped: the end of the last intact record, which is also where the
 *     first bad record starts if there is one
 * @param sealed the segment ends with an intact seal record
 * @param problem what is wrong at {@code offset}, or empty if nothing is
 * @param mayBeTorn the bad record could be a write cut short by a crash (a partial record or a
 *     checksum mismatch); false if an intact record holds the wrong index, which no crash explains
 */
record ScanResult(long offset, boolean sealed, String problem, boolean mayBeTorn) {

  static ScanResult clean(long end, boolean sealed) {
    return new ScanResult(end, sealed, "", false);
  }

  static ScanResult damaged(long offset, String problem, boolean mayBeTorn) {
    return new ScanResult(offset, false, problem, mayBeTorn);
  }

  boolean isClean() {
    return problem.isEmpty();
  }
}
