package dev.envforge.core.assemble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs network-bound lookups a few at a time (registry and index round trips), keeping the input order. */
final class Parallel {
  static final int THREADS = 8;

  interface Work<T, R> {
    R apply(T item) throws IOException;
  }

  private Parallel() {}

  static <T, R> List<R> map(List<T> items, Work<T, R> work) throws IOException {
    if (items.size() < 2) {
      List<R> results = new ArrayList<>();
      for (T item : items) {
        results.add(work.apply(item));
      }
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, items.size()), runnable -> {
      Thread thread = new Thread(runnable, "envforge-assemble-io");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof UncheckedIOException unchecked) {
        throw unchecked.getCause();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
