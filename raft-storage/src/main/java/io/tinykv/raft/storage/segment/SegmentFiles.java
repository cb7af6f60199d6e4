package io.tinykv.raft.storage.segment;

/**
 * The segment files a log occupies at one moment.
 *
 * @param count the number of segment files (at least one)
 * @param bytes their total size on disk
 */
public record SegmentFiles(int count, long bytes) {}
