DROP TABLE api_keys;
DROP TABLE apps;
DROP TABLE developer_refresh_tokens;
DROP TABLE developers;
