package eu.tessera.server.migration;

/**
 * Serves the INDIGO IAM STAND-IN with generated data for bench/import.sh: arguments port, number of accounts, token.
 * The VO's root group is {@code /escape}. Runs until killed.
 */
public final class IamStandInMain {

    private IamStandInMain() {
    }

    public static void main(String[] args) throws Exception {
        IamStandIn iam = new IamStandIn(IamDataset.generate(Integer.parseInt(args[1]), "escape"), args[2],
                Integer.parseInt(args[0]));
        System.out.println("IAM stand-in at " + iam.url());
        Thread.currentThread().join();
    }
}
