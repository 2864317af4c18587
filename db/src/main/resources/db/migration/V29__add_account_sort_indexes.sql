-- The accounts page sorts by creation and by family name; at 100,000 accounts a page must not sort the table.
CREATE INDEX account_created_ix ON account (created_at, id);
CREATE INDEX account_family_name_ix ON account (family_name);
