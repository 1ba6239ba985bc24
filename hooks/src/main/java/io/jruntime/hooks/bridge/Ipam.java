package io.jruntime.hooks.bridge;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small IPAM store for one bridge: a directory with one file per allocated address (named by the
 * address, holding the container id, its host veth and its ports) and a lock file. Everything happens
 * under an exclusive lock on that file, so concurrent hooks never hand out one address twice; a JVM-wide
 * lock per directory comes first because a JVM may not hold two file locks on one file.
 *
 * Addresses are handed out lowest free first, so a released address is the next one given.
 */
public final class Ipam {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final String LOCK_FILE = ".lock";

    private final Path dir;
    private final Subnet subnet;

    public Ipam(Path dir, Subnet subnet) {
        this.dir = dir.toAbsolutePath().normalize();
        this.subnet = subnet;
    }

    public interface Action<T> {
        T run(Session session) throws IOException;
    }

    /** Runs {@code action} holding the store's lock. */
    public <T> T locked(Action<T> action) throws IOException {
        Files.createDirectories(dir);
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            return action.run(new Session());
        } finally {
            jvmLock.unlock();
        }
    }

    /** The store's operations; valid only inside {@link #locked}. */
    public final class Session {
        private Session() {}

        public List<Allocation> all() throws IOException {
            List<Allocation> result = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (!name.startsWith(".")) {
                        result.add(read(f));
                    }
                }
            }
            return result;
        }

        public Optional<Allocation> find(String id) throws IOException {
            return all().stream().filter(a -> a.id().equals(id)).findFirst();
        }

        /**
         * The address of {@code id}: the one it already holds, else the lowest free one. Records
         * {@code hostVeth} and {@code ports}; fails when a host port is published by another container
         * or when the subnet is full.
         */
        public Allocation allocate(String id, String hostVeth, List<PortMapping> ports) throws IOException {
            List<Allocation> existing = all();
            for (Allocation other : existing) {
                if (other.id().equals(id)) {
                    continue;
                }
                for (PortMapping p : ports) {
                    for (PortMapping q : other.ports()) {
                        if (p.key().equals(q.key())) {
                            throw new HookException("host port " + p.key() + " is already published by container \""
                                    + other.id() + "\" on bridge " + dir.getFileName());
                        }
                    }
                }
            }
            Optional<Allocation> mine = existing.stream().filter(a -> a.id().equals(id)).findFirst();
            int address;
            if (mine.isPresent()) {
                address = mine.get().address();
            } else {
                TreeSet<Long> used = new TreeSet<>();
                existing.forEach(a -> used.add(Integer.toUnsignedLong(a.address())));
                long first = Integer.toUnsignedLong(subnet.firstHost()), last = Integer.toUnsignedLong(subnet.lastHost());
                long found = -1;
                for (long a = first; a <= last; a++) {
                    if (!used.contains(a)) {
                        found = a;
                        break;
                    }
                }
                if (found < 0) {
                    throw new HookException("no free address left in " + subnet + " on bridge " + dir.getFileName()
                            + " (" + existing.size() + " allocated)");
                }
                address = (int) found;
            }
            Allocation a = new Allocation(id, address, hostVeth, List.copyOf(ports));
            write(a);
            return a;
        }

        /** Forgets {@code id}'s address; nothing to do when it has none. */
        public void release(String id) throws IOException {
            for (Allocation a : all()) {
                if (a.id().equals(id)) {
                    Files.deleteIfExists(dir.resolve(a.addressText()));
                }
            }
        }
    }

    private Allocation read(Path f) throws IOException {
        String id = null, veth = null, ports = "";
        for (String line : Files.readAllLines(f)) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = line.substring(eq + 1);
            switch (line.substring(0, eq)) {
                case "id" -> id = value;
                case "veth" -> veth = value;
                case "ports" -> ports = value;
                default -> { }
            }
        }
        String name = f.getFileName().toString();
        if (id == null || veth == null) {
            throw new HookException("IPAM record " + f + " is corrupt (no id or veth line)");
        }
        try {
            return new Allocation(id, Subnet.parseAddress(name, "IPAM record " + f), veth, PortMapping.parseList(ports));
        } catch (HookException e) {
            throw new HookException("IPAM record " + f + " is corrupt: " + e.getMessage());
        }
    }

    /** Written to a temporary file and renamed, so a crash never leaves half a record. */
    private void write(Allocation a) throws IOException {
        Path target = dir.resolve(a.addressText());
        Path tmp = dir.resolve(".tmp-" + a.addressText());
        Files.writeString(tmp, "id=" + a.id() + "\nveth=" + a.hostVeth() + "\nports=" + PortMapping.format(a.ports()) + "\n");
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
