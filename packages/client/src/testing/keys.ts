/** The keys the client's integration tests start their server with. */
export const TRACKING_KEY = "pk_client_test_tracking_0001";
export const SERVER_KEY = "sk_client_test_server_00000001";
