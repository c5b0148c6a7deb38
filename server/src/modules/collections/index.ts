// Collections: named, ordered lists of listings with notes, shared by email with VIEW or EDIT.
import './collection.js';
import './collection-queries.js';
import './collection-mutations.js';
import './collection-item-mutations.js';
import './collection-share-mutations.js';
