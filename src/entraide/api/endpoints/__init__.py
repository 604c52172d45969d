"""The API's endpoints, one router per part of the product. Each one: ask ``core.access`` on
the token's organisation or object (404 when the caller may not even see it, 403 otherwise),
enter the organisation's tenant scope, call the same domain functions as the pages."""
