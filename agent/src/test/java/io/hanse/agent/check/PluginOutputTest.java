package io.hanse.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluginOutputTest {

    @Test
    void splitsTheFirstLineAtTheBar() {
        PluginOutput output = PluginOutput.parse("OK - load average: 0.01, 0.05, 0.01|load1=0.010;5.000;10.000;0;\n");
        assertEquals(new PluginOutput("OK - load average: 0.01, 0.05, 0.01", "", "load1=0.010;5.000;10.000;0;"),
                output);
    }

    @Test
    void followsTheGuidelinesExampleWithLongOutputAndMorePerfdata() {
        String text = String.join("\n",
                "DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968",
                "/ 15272 MB (77%);",
                "/boot 68 MB (69%);",
                "/home 69357 MB (27%);",
                "/var/log 819 MB (84%); | /boot=68MB;88;93;0;98",
                "/home=69357MB;253404;253409;0;253414 ",
                "/var/log=818MB;970;975;0;980");
        PluginOutput output = PluginOutput.parse(text);
        assertEquals("DISK OK - free space: / 3326 MB (56%);", output.output());
        assertEquals("/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%);",
                output.longOutput());
        assertEquals("/=2643MB;5948;5958;0;5968 /boot=68MB;88;93;0;98 /home=69357MB;253404;253409;0;253414 "
                + "/var/log=818MB;970;975;0;980", output.perfdata());
    }

    @Test
    void outputWithoutPerfdata() {
        assertEquals(new PluginOutput("PROCS OK: 93 processes", "", ""), PluginOutput.parse("PROCS OK: 93 processes"));
    }

    @Test
    void longOutputWithoutPerfdata() {
        assertEquals(new PluginOutput("CRITICAL - 2 services down", "nginx\npostgresql", ""),
                PluginOutput.parse("CRITICAL - 2 services down\nnginx\r\npostgresql\n"));
    }

    @Test
    void emptyOutput() {
        assertEquals(new PluginOutput("", "", ""), PluginOutput.parse(""));
    }
}
