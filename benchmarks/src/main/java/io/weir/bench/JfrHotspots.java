package io.weir.bench;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hot spots of JFR recordings: the {@code jdk.ExecutionSample} events of every file given, as shares of all
 * samples, by thread, by top frame (self time) and by method anywhere on the stack (inclusive time, counted once per
 * sample). What {@code jfr print --events jdk.ExecutionSample} shows, counted.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.JfrHotspots [-top N] file.jfr...
 * </pre>
 */
public final class JfrHotspots {
    private JfrHotspots() {}

    public static void main(String[] args) throws Exception {
        int top = 25;
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        long samples = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-top")) {
                top = Integer.parseInt(args[++i]);
                continue;
            }
            for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[i]))) {
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                String thread = event.getThread("sampledThread") == null
                        ? "?"
                        : event.getThread("sampledThread").getJavaName();
                threads.merge(thread.replaceAll("-\\d+$", "-N"), 1L, Long::sum);
                List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> once = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    if (once.add(name(frame))) {
                        inclusive.merge(name(frame), 1L, Long::sum);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%,d execution samples%n", samples);
        print("by thread", threads, samples, top);
        print("top frame (self)", self, samples, top);
        print("on the stack (inclusive)", inclusive, samples, top);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println();
        System.out.println(title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .forEach(e ->
                        System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }
}
