package dev.palisade.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a shell completion script for palisade's commands and options (bash or zsh).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(palisade completion bash)",
            "  palisade completion zsh > \"${fpath[1]}/_palisade\"",
            "  palisade completion bash > /etc/bash_completion.d/palisade"
        })
final class CompletionCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "completion: unknown shell '" + shell + "' (use bash or zsh)");
        }
        CommandLine root = spec.root().commandLine();
        // picocli's script serves both: in zsh it loads bashcompinit first
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
        spec.commandLine().getOut().flush();
        return PalisadeCommand.EXIT_OK;
    }
}
