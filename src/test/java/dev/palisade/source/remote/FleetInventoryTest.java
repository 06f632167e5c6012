package dev.palisade.source.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetInventoryTest {
    private static final Path HOME = Path.of("/home/ops");

    @Test
    void shouldReadAPlainListOfAddressesWithComments() {
        List<FleetInventory.Host> hosts = FleetInventory.parse(
                "# the fleet\n\nssh://root@10.0.0.5\n  ssh://admin@db1.example.com:2222   # primary\n",
                "fleet.txt",
                "nobody",
                HOME);

        assertThat(hosts)
                .extracting(FleetInventory.Host::destination)
                .containsExactly(
                        new SshDestination("root", "10.0.0.5", 22),
                        new SshDestination("admin", "db1.example.com", 2222));
        assertThat(hosts.get(1).name()).isEqualTo("ssh://admin@db1.example.com:2222");
        assertThat(hosts.get(1).groups()).isEmpty();
        assertThat(hosts.get(1).keyFile()).isNull();
    }

    @Test
    void shouldLayerAnsibleIniVariablesFromAllToGroupToChildToHost() {
        String ini = String.join(
                "\n",
                "; production",
                "bastion.example.com:2200",
                "[web]",
                "web1 ansible_host=10.0.1.1",
                "web2 ansible_host=10.0.1.2 ansible_port=2222 ansible_user=deploy",
                "[db]",
                "db1 ansible_host=10.0.2.1 ansible_ssh_private_key_file=~/.ssh/db_ed25519 palisade_application=ledger",
                "[shop:children]",
                "web",
                "db",
                "[shop:vars]",
                "ansible_user=shop",
                "ansible_port=2022",
                "[web:vars]",
                "ansible_port=22",
                "[all:vars]",
                "ansible_user=\"admin\"",
                "ansible_ssh_private_key_file=/keys/fleet",
                "");

        List<FleetInventory.Host> hosts = FleetInventory.parse(ini, "inventory.ini", "nobody", HOME);

        assertThat(hosts)
                .extracting(FleetInventory.Host::name)
                .containsExactly("bastion.example.com:2200", "web1", "web2", "db1");
        assertThat(hosts.get(0).destination()).isEqualTo(new SshDestination("admin", "bastion.example.com", 2200));
        assertThat(hosts.get(0).groups()).isEmpty();
        // web's own port wins over its parent's; the parent's user wins over all's
        assertThat(hosts.get(1).destination()).isEqualTo(new SshDestination("shop", "10.0.1.1", 22));
        assertThat(hosts.get(1).groups()).containsExactly("web");
        assertThat(hosts.get(1).keyFile()).isEqualTo(Path.of("/keys/fleet"));
        assertThat(hosts.get(2).destination()).isEqualTo(new SshDestination("deploy", "10.0.1.2", 2222));
        assertThat(hosts.get(3).destination()).isEqualTo(new SshDestination("shop", "10.0.2.1", 2022));
        assertThat(hosts.get(3).keyFile()).isEqualTo(Path.of("/home/ops/.ssh/db_ed25519"));
        assertThat(hosts.get(3).application()).isEqualTo("ledger");
        assertThat(hosts.get(3).groups()).containsExactly("db");
    }

    @Test
    void shouldSplitHostLinesAsAnsibleDoesAndNeverRepeatAPieceOfAValue() {
        List<FleetInventory.Host> hosts = FleetInventory.parse(
                "[web]\nh1 ansible_user=\"deploy\" ansible_password=\"tiger lily\" ansible_port=2202\n",
                "i",
                "me",
                HOME);

        assertThat(hosts.get(0).destination()).isEqualTo(new SshDestination("deploy", "h1", 2202));
        assertThat(FleetInventory.words("h1 a=\"x y\" b='p q'  c=1"))
                .containsExactly("h1", "a=\"x y\"", "b='p q'", "c=1");
        assertThatThrownBy(() -> FleetInventory.parse("[web]\nh1 ansible_password=s3cr3t hunter2\n", "i", "me", HOME))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("hunter2")
                .doesNotContain("s3cr3t");
    }

    @Test
    void shouldMergeAHostListedInTwoGroups() {
        List<FleetInventory.Host> hosts =
                FleetInventory.parse("[web]\nh1 ansible_port=2201\n[api]\nh1 ansible_user=api\n", "i", "me", HOME);

        assertThat(hosts).hasSize(1);
        assertThat(hosts.get(0).groups()).containsExactly("web", "api");
        assertThat(hosts.get(0).destination()).isEqualTo(new SshDestination("api", "h1", 2201));
    }

    @Test
    void shouldReadAnAnsibleYamlInventory() {
        String yaml = String.join(
                "\n",
                "all:",
                "  vars:",
                "    ansible_user: admin",
                "  hosts:",
                "    jump:",
                "      ansible_host: 192.0.2.10",
                "  children:",
                "    payments:",
                "      vars:",
                "        ansible_port: 2222",
                "      hosts:",
                "        pay1:",
                "          ansible_host: 192.0.2.21",
                "        pay2:",
                "          ansible_host: 192.0.2.22",
                "          ansible_user: pay",
                "          ansible_ssh_private_key_file: /keys/pay",
                "");

        List<FleetInventory.Host> hosts = FleetInventory.parse(yaml, "hosts.yml", "me", HOME);

        assertThat(hosts).extracting(FleetInventory.Host::name).containsExactly("jump", "pay1", "pay2");
        assertThat(hosts.get(0).destination()).isEqualTo(new SshDestination("admin", "192.0.2.10", 22));
        assertThat(hosts.get(0).groups()).isEmpty();
        assertThat(hosts.get(1).destination()).isEqualTo(new SshDestination("admin", "192.0.2.21", 2222));
        assertThat(hosts.get(1).groups()).containsExactly("payments");
        assertThat(hosts.get(2).destination()).isEqualTo(new SshDestination("pay", "192.0.2.22", 2222));
        assertThat(hosts.get(2).keyFile()).isEqualTo(Path.of("/keys/pay"));
    }

    @Test
    void shouldUseTheDefaultUserAndSayWhereAnInventoryIsWrong() {
        assertThat(FleetInventory.parse("[web]\nweb1\n", "i", "me", HOME).get(0).destination())
                .isEqualTo(new SshDestination("me", "web1", 22));
        assertThatThrownBy(() -> FleetInventory.parse("[web]\nweb[01:20].example.com\n", "inv", "me", HOME))
                .hasMessageStartingWith("inv:2: ")
                .hasMessageContaining("host ranges");
        assertThatThrownBy(() -> FleetInventory.parse("[web:hostvars]\n", "inv", "me", HOME))
                .hasMessageStartingWith("inv:1: ");
        assertThatThrownBy(() -> FleetInventory.parse("web1 ansible_port=ssh\n", "inv", "me", HOME))
                .hasMessageContaining("ansible_port is not a number");
        assertThatThrownBy(() -> FleetInventory.parse("ssh://root:hunter2@h\n", "inv", "me", HOME))
                .hasMessageContaining("passwords are never taken")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThatThrownBy(() -> FleetInventory.parse("# nothing\n", "inv", "me", HOME))
                .hasMessageContaining("no host");
    }
}
