package io.tinykv.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileChannelFactory} whose channels simulate a disk that fills up: once the byte budget
 * is spent, a write stores what still fits and then fails with "No space left on device". Fsyncs
 * can be made to fail too. It also counts the bytes read and the fsyncs done.
 */
public final class FaultyChannels implements FileChannelFactory {

  private final AtomicLong bytesLeft;
  private final AtomicBoolean failForce = new AtomicBoolean();
  private final AtomicBoolean skipForce = new AtomicBoolean();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong forces = new AtomicLong();

  public FaultyChannels(long budget) {
    this.bytesLeft = new AtomicLong(budget);
  }

  /**
   * Channels whose fsyncs do nothing: for tests of the log's logic that run many operations and do
   * not crash the machine, so that they are not slowed by the disk.
   */
  public static FaultyChannels withoutFsync() {
    return new FaultyChannels(Long.MAX_VALUE).skippingFsync();
  }

  /** Makes fsyncs do nothing (they are still counted); see {@link #withoutFsync()}. */
  public FaultyChannels skippingFsync() {
    skipForce.set(true);
    return this;
  }

  public long bytesRead() {
    return bytesRead.get();
  }

  /** Fsyncs of files and directories so far. */
  public long forces() {
    return forces.get();
  }

  /** Makes every later fsync fail. */
  public void failFsync() {
    failForce.set(true);
  }

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    return new Channel(FileChannel.open(path, options));
  }

  private int allow(int wanted) throws IOException {
    long left = bytesLeft.get();
    if (left <= 0 && wanted > 0) {
      throw new IOException("No space left on device (simulated)");
    }
    int granted = (int) Math.min(wanted, left);
    bytesLeft.addAndGet(-granted);
    return granted;
  }

  private final class Channel extends FileChannel {

    private final FileChannel delegate;

    Channel(FileChannel delegate) {
      this.delegate = delegate;
    }

    private int limitedWrite(ByteBuffer src, long position) throws IOException {
      int granted = allow(src.remaining());
      ByteBuffer part = src.duplicate();
      part.limit(part.position() + granted);
      int written = position < 0 ? delegate.write(part) : delegate.write(part, position);
      src.position(src.position() + written);
      return written;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return limitedWrite(src, -1);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return limitedWrite(src, position);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        total += write(srcs[i]);
      }
      return total;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      forces.incrementAndGet();
      if (failForce.get()) {
        throw new IOException("Input/output error (simulated fsync failure)");
      }
      if (!skipForce.get()) {
        delegate.force(metaData);
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return counted(delegate.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      long read = delegate.read(dsts, offset, length);
      bytesRead.addAndGet(Math.max(0, read));
      return read;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return counted(delegate.read(dst, position));
    }

    private int counted(int read) {
      bytesRead.addAndGet(Math.max(0, read));
      return read;
    }

    @Override
    public long position() throws IOException {
      return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      delegate.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      delegate.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      throw new IOException("not supported by the fault-injecting channel");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      throw new IOException("not supported by the fault-injecting channel");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      delegate.close();
    }
  }
}
