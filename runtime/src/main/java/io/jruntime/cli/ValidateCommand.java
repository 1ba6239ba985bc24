package io.jruntime.cli;

import io.jruntime.spec.SpecLoader;
import io.jruntime.spec.SpecProblem;
import io.jruntime.spec.SpecValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code validate [--bundle DIR]} (jruntime's addition): the checks {@code create} makes on a bundle,
 * without creating anything: schema, model and semantic checks, then the root filesystem.
 */
final class ValidateCommand implements Command {
    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public String summary() {
        return "check a bundle's config.json and rootfs as create would, without creating anything";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("bundle", "b", "DIR", "path to the root of the bundle directory, defaults to the current directory"));
    }

    @Override
    public int run(Cli cli, Args args) {
        if (!args.positionals().isEmpty()) {
            throw new Cli.UsageException(this, "\"validate\" requires exactly 0 argument(s)");
        }
        Path bundle = Path.of(args.value("bundle", ".")).toAbsolutePath().normalize();
        List<SpecProblem> warnings = new ArrayList<>();
        var spec = SpecLoader.load(bundle, new SpecValidator.Options(cli.systemdCgroup), warnings::add);
        SpecLoader.rootfs(spec, bundle);
        for (SpecProblem w : warnings) {
            cli.out.println("warning: config.json: " + w);
        }
        cli.out.println(bundle.resolve("config.json") + ": valid");
        return 0;
    }
}
