package io.jruntime.cgroups.v1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The host's huge page sizes in the cgroup file naming ("2MB", "1GB"), from /sys/kernel/mm/hugepages. */
public final class HugePageSizes {
    private HugePageSizes() {}

    public static List<String> list() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/kernel/mm/hugepages"))) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(n -> {
                String name = fromDirName(n);
                if (name != null) {
                    out.add(name);
                }
            });
        } catch (IOException e) {
            // no hugetlbfs support: no sizes
        }
        return out;
    }

    /** "hugepages-2048kB" to "2MB", as the kernel names the hugetlb cgroup files. */
    public static String fromDirName(String dirName) {
        if (!dirName.startsWith("hugepages-") || !dirName.endsWith("kB")) {
            return null;
        }
        long kb;
        try {
            kb = Long.parseLong(dirName.substring("hugepages-".length(), dirName.length() - 2));
        } catch (NumberFormatException e) {
            return null;
        }
        if (kb >= (1 << 20)) {
            return (kb >> 20) + "GB";
        } else if (kb >= (1 << 10)) {
            return (kb >> 10) + "MB";
        }
        return kb + "KB";
    }
}
