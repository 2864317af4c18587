package eu.tessera.sync.rucio;

import eu.tessera.sync.Operation;

/** One call that brings a Rucio account in line; each is safe to repeat. */
public sealed interface RucioChange {

    String account();

    Operation describe();

    record CreateAccount(String account, String email) implements RucioChange {
        public Operation describe() {
            return new Operation(account, "create account", "USER " + email);
        }
    }

    record ReactivateAccount(String account) implements RucioChange {
        public Operation describe() {
            return new Operation(account, "reactivate account", "");
        }
    }

    record SetEmail(String account, String email) implements RucioChange {
        public Operation describe() {
            return new Operation(account, "set email", email);
        }
    }

    record AddIdentity(String account, String type, String identity, String email) implements RucioChange {
        public Operation describe() {
            return new Operation(account, "add identity", type + " " + identity);
        }
    }

    record RemoveIdentity(String account, String type, String identity) implements RucioChange {
        public Operation describe() {
            return new Operation(account, "remove identity", type + " " + identity);
        }
    }

    record AddAttribute(String account, String key, String value) implements RucioChange {
        public Operation describe() {
            return new Operation(account, "add attribute", key + "=" + value);
        }
    }

    record RemoveAttribute(String account, String key) implements RucioChange {
        public Operation describe() {
            return new Operation(account, "remove attribute", key);
        }
    }

    record DeleteAccount(String account) implements RucioChange {
        public Operation describe() {
            return new Operation(account, "delete account", "");
        }
    }
}
