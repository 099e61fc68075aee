-- Schema 90 (docs/returns.md): a return names the purchase it returns in target_op_id; a push
-- reads every earlier applied return of the purchases its returns (and voids) name, to re-derive
-- what is left of each purchase.
CREATE INDEX operations_returns ON operations(target_op_id) WHERE kind = 'return';
