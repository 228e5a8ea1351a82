package io.weir.bench;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the bytes of JFR recordings were allocated: the {@code jdk.ObjectAllocationSample} events of every file
 * given, summed by their {@code weight} (JFR's estimate of the bytes each sample stands for), by class, by thread
 * and by allocating site (the first frame outside {@code java.*} / {@code jdk.*}, with the class allocated). With
 * {@code -records N} it also prints bytes per record: what a run that produced N records allocated, divided by N.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.JfrAllocations [-top N] [-records N] file.jfr...
 * </pre>
 */
public final class JfrAllocations {
    private JfrAllocations() {}

    public static void main(String[] args) throws Exception {
        int top = 25;
        long records = 0;
        Map<String, Long> byClass = new HashMap<>();
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Long> bySite = new HashMap<>();
        long total = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-top")) {
                top = Integer.parseInt(args[++i]);
                continue;
            }
            if (args[i].equals("-records")) {
                records = Long.parseLong(args[++i]);
                continue;
            }
            for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[i]))) {
                if (!event.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                    continue;
                }
                long weight = event.getLong("weight");
                total += weight;
                String type = event.getClass("objectClass").getName();
                byClass.merge(type, weight, Long::sum);
                String thread = event.getThread("eventThread") == null
                        ? "?"
                        : event.getThread("eventThread").getJavaName();
                byThread.merge(thread.replaceAll("-\\d+$", "-N"), weight, Long::sum);
                bySite.merge(type + " at " + site(event.getStackTrace()), weight, Long::sum);
            }
        }
        System.out.printf(Locale.ROOT, "%,d MB allocated (sampled estimate)%n", total >> 20);
        if (records > 0) {
            System.out.printf(
                    Locale.ROOT, "%,.1f bytes per record over %,d records%n", (double) total / records, records);
        }
        print("by class", byClass, total, records, top);
        print("by thread", byThread, total, records, top);
        print("by site", bySite, total, records, top);
    }

    private static String site(RecordedStackTrace stack) {
        if (stack == null) {
            return "?";
        }
        List<RecordedFrame> frames = stack.getFrames();
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return type + "." + frame.getMethod().getName() + ":" + frame.getLineNumber();
            }
        }
        return frames.isEmpty() ? "?" : frames.get(0).getMethod().getName();
    }

    private static void print(String title, Map<String, Long> bytes, long total, long records, int top) {
        System.out.println();
        System.out.println(title);
        bytes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .forEach(e -> System.out.printf(
                        Locale.ROOT,
                        "  %5.1f%%  %8s  %s%n",
                        100.0 * e.getValue() / total,
                        records > 0 ? String.format(Locale.ROOT, "%.1f B/rec", (double) e.getValue() / records) : "",
                        e.getKey()));
    }
}
